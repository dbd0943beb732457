// Canned answers in the back office's reply form: choosing one puts its text (already
// completed for the thread by the server, in the option's data-texte) at the end of the
// reply at once. Without this script, the « Insérer » button does the same through the
// server. Choosing another answer replaces the one just inserted, as long as the staff member has
// not edited it, so browsing the list with the arrow keys does not pile texts up.
(function () {
  'use strict';
  var select = document.getElementById('reponse_type');
  var reply = document.getElementById('reponse');
  if (!select || !reply) {
    return;
  }
  var button = document.getElementById('inserer');
  var status = document.getElementById('reponse_type-statut');
  var inserted = '';
  if (button) {
    button.hidden = true;
  }
  select.addEventListener('change', function () {
    var option = select.options[select.selectedIndex];
    var text = (option && option.getAttribute('data-texte')) || '';
    var kept = reply.value;
    if (inserted && kept.slice(-inserted.length) === inserted) {
      kept = kept.slice(0, kept.length - inserted.length).replace(/\s+$/, '');
    }
    reply.value = text ? (kept ? kept + '\n\n' + text : text) : kept;
    inserted = text;
    if (status) {
      status.textContent = text
        ? 'Réponse type insérée à la fin de votre réponse.'
        : 'Réponse type retirée de votre réponse.';
    }
  });
})();
