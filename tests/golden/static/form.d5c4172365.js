// Progressive enhancement only: the form works without this script.
// It records when the page was loaded, so the intake can hold submissions sent implausibly fast.
document.querySelectorAll('input[name="form_loaded_at"]').forEach(function (field) {
  field.value = String(Date.now());
});
