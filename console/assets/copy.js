// Copy buttons: a button with data-copy="ID" copies the value of the field
// with that id and says so in the element "ID-status". Without JavaScript
// the button stays hidden and the read-only field can be selected and
// copied by hand.
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = document.getElementById(button.dataset.copy + '-status');
    if (!field) return;
    field.addEventListener('focus', function () { field.select(); });
    button.hidden = false;
    button.addEventListener('click', function () {
      field.select();
      var done = function () { if (status) status.textContent = button.dataset.copied; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { if (document.execCommand('copy')) done(); });
      } else if (document.execCommand('copy')) {
        done();
      }
    });
  });
});
