/* The public application form: sends the form as JSON to the public API (no sign-in, so no
   session and no CSRF token: the API validates and rate-limits) and shows the answer: the
   reference, or each problem next to its field in the page's language. */
(function () {
  'use strict';
  var form = document.getElementById('apply');
  if (!form) {
    return;
  }
  var fields = ['network', 'invitationToken', 'slug', 'nameZh', 'nameEn', 'regionCode', 'timeZone', 'contactName',
    'contactEmail', 'language', 'issuerUrl', 'clientId', 'nameClaim', 'emailClaim'];
  var problem = document.getElementById('apply-problem');
  var done = document.getElementById('apply-done');
  var button = document.getElementById('apply-submit');

  function clear() {
    form.querySelectorAll('[data-error-for]').forEach(function (el) { el.textContent = ''; });
    problem.hidden = true;
    problem.textContent = '';
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clear();
    var body = {};
    fields.forEach(function (name) {
      var el = form.elements[name];
      if (el && el.value.trim() !== '') {
        body[name] = el.value.trim();
      }
    });
    body.adminEmails = form.elements.adminEmails.value.split(/[\s,;，；]+/).filter(function (s) { return s !== ''; });
    button.disabled = true;
    fetch('/api/v1/public/onboarding/applications', {
      method: 'POST',
      headers: {'Content-Type': 'application/json', 'Accept': 'application/json', 'Accept-Language': form.dataset.lang},
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (b) { return {status: r.status, body: b}; });
    }).then(function (res) {
      if (res.status === 201) {
        form.hidden = true;
        document.getElementById('apply-ref').textContent = res.body.id;
        done.hidden = false;
        window.scrollTo(0, 0);
        return;
      }
      problem.textContent = res.body.title + (res.body.detail ? ' ' + res.body.detail : '');
      problem.hidden = false;
      (res.body.errors || []).forEach(function (err) {
        var slot = form.querySelector('[data-error-for="' + err.field.replace(/\[.*$/, '') + '"]');
        if (slot) {
          slot.textContent = (slot.textContent ? slot.textContent + '; ' : '') + err.message;
        }
      });
      var first = form.querySelector('.field-error:not(:empty)');
      (first || problem).scrollIntoView({block: 'center'});
    }).catch(function () {
      problem.textContent = form.dataset.lang === 'en' ? 'The form could not be sent; please try again.' : '提交失败，请重试。';
      problem.hidden = false;
    }).then(function () {
      button.disabled = false;
    });
  });
})();
