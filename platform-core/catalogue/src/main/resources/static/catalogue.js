/* Instrument editor hints (the server checks the same rules; this only shows them early):
   - 500,000 RMB or more kept private needs an exemption reason (the exemption block appears for private
     records and says when the reason is required);
   - 400,000 RMB or more must be connected through IoT (a note);
   - a document larger than the upload limit is refused before it is sent;
   - the sticky save bar says when something was changed and not yet saved;
   - the section navigation marks the section in view. */
(function () {
  'use strict';

  /* yuan as typed (500000, 500,000, ¥500000.50) to fen; null when it does not parse */
  function fen(typed) {
    var v = (typed || '').replace(/[,，¥￥\s]/g, '');
    if (!/^\d+(\.\d{1,2})?$/.test(v)) {
      return null;
    }
    var parts = v.split('.');
    return parseInt(parts[0], 10) * 100 + (parts[1] ? parseInt((parts[1] + '0').slice(0, 2), 10) : 0);
  }

  function update(form) {
    var value = form.querySelector('[name=originalValue]');
    var scope = form.querySelector('[name=sharingScope]');
    var reason = form.querySelector('[name=exemptionReason]');
    var block = form.querySelector('#exemption');
    var required = form.querySelector('#exemption-required');
    var iot = form.querySelector('#iot-note');
    if (!value || !scope || !block) {
      return;
    }
    var f = fen(value.value);
    var national = parseInt(form.dataset.nationalFen, 10);
    var threshold = parseInt(form.dataset.iotFen, 10);
    var isPrivate = scope.value === 'private';
    var needed = isPrivate && f !== null && f >= national;
    block.hidden = !(isPrivate || (reason && reason.value !== '') || block.classList.contains('has-error'));
    if (required) {
      required.hidden = !needed;
    }
    if (reason) {
      reason.setAttribute('aria-required', needed ? 'true' : 'false');
    }
    if (iot) {
      iot.hidden = !(f !== null && f >= threshold);
    }
  }

  function checkFile(input) {
    var max = parseInt(input.dataset.maxBytes, 10);
    var file = input.files && input.files[0];
    input.setCustomValidity(file && max && file.size > max ? (input.dataset.tooLarge || 'too large') : '');
    if (file && max && file.size > max) {
      input.reportValidity();
    }
  }

  function init(root) {
    (root || document).querySelectorAll('#instrument-form').forEach(function (form) {
      if (form.lcHints) {
        return;
      }
      form.lcHints = true;
      form.addEventListener('input', function () { update(form); });
      form.addEventListener('change', function () { update(form); });
      update(form);
    });
    (root || document).querySelectorAll('input[type=file][data-max-bytes]').forEach(function (input) {
      if (input.lcChecked) {
        return;
      }
      input.lcChecked = true;
      input.addEventListener('change', function () { checkFile(input); });
    });
  }

  /* Enter in a helper field (the classification search) must not submit the whole form */
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && e.target.matches && e.target.matches('[data-no-submit]')) {
      e.preventDefault();
    }
  });

  /* the save bar: "no unsaved changes" until a field of the form changes */
  function trackChanges() {
    var form = document.getElementById('instrument-form');
    var bar = document.getElementById('save-bar');
    var state = document.getElementById('save-state');
    if (!form || !bar || !state || form.lcTracked) {
      return;
    }
    form.lcTracked = true;
    var mark = function () {
      if (!bar.classList.contains('dirty')) {
        bar.classList.add('dirty');
        form.dataset.dirty = 'true';
        state.textContent = state.dataset.dirty;
      }
    };
    form.addEventListener('input', mark);
    form.addEventListener('change', mark);
  }

  /* the section navigation: the link of the section nearest the top of the window is marked */
  function trackSections() {
    var links = Array.prototype.slice.call(document.querySelectorAll('#editor-sections a[href^="#sec-"]'));
    if (!links.length || !('IntersectionObserver' in window)) {
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) {
          links.forEach(function (a) {
            var on = a.getAttribute('href') === '#' + e.target.id;
            a.classList.toggle('active', on);
            if (on) { a.setAttribute('aria-current', 'true'); } else { a.removeAttribute('aria-current'); }
          });
        }
      });
    }, { rootMargin: '0px 0px -70% 0px' });
    links.forEach(function (a) {
      var section = document.querySelector(a.getAttribute('href'));
      if (section) { observer.observe(section); }
    });
  }

  document.addEventListener('DOMContentLoaded', function () { init(); trackChanges(); trackSections(); });
  document.addEventListener('htmx:load', function (e) { init(e.detail.elt); });
})();
