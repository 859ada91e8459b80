// Progressive enhancement only: the form works without this script.
// It records when the page was loaded, so the intake can hold submissions sent implausibly fast.
document.querySelectorAll('input[name="form_loaded_at"]').forEach(function (field) {
  field.value = String(Date.now());
});

// On the thank-you page: the receiver sends visitors to /danke/?thema=<topic>; lead them back to that
// topic. Without this script the link goes to the list of all topics.
(function () {
  var link = document.querySelector('a[data-topic-link]');
  var topic = new URLSearchParams(window.location.search).get('thema');
  if (link && topic && /^[a-z0-9][a-z0-9-]{0,63}$/.test(topic)) {
    link.href = link.getAttribute('href') + topic + '/';
    link.textContent = 'Zurück zum Thema';
  }
})();
