"""Comment intake: pull form submissions into a private inbox, review them, publish approved ones."""
