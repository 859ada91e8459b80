"""What the site is: content read into the model, rendered into files; pure, no cache, no processes."""
