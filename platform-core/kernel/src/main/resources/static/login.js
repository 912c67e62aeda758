/* The sign-in page's institution chooser (views/login.html): filters the list as one types, over
   each entry's data-search (both names, the slug, the initials; normalised as InstitutionChooser
   does: NFKC, lower case); every word typed must occur. Without script the form does the same. */
(function () {
  'use strict';
  var input = document.getElementById('institution-q');
  var list = document.getElementById('institutions');
  var none = document.getElementById('no-match');
  if (!input) {
    return;
  }
  function normalise(s) {
    return (s.normalize ? s.normalize('NFKC') : s).toLowerCase();
  }
  function filter() {
    var terms = normalise(input.value).trim().split(/\s+/).filter(function (w) { return w.length > 0; });
    var shown = 0;
    if (list) {
      list.querySelectorAll('li[data-search]').forEach(function (li) {
        var text = li.getAttribute('data-search');
        var match = terms.every(function (w) { return text.indexOf(w) >= 0; });
        li.hidden = !match;
        if (match) {
          shown++;
        }
      });
    }
    if (none) {
      none.hidden = shown > 0 || !list;
    }
  }
  input.addEventListener('input', filter);
  /* Enter with exactly one institution left signs in through it. */
  document.getElementById('institution-search').addEventListener('submit', function (e) {
    if (!list) {
      return;
    }
    var visible = Array.prototype.filter.call(list.querySelectorAll('li[data-search]'), function (li) { return !li.hidden; });
    if (visible.length === 1) {
      e.preventDefault();
      window.location.href = visible[0].querySelector('a').getAttribute('href');
    }
  });
})();
