/* The instrument booking calendar (views/booking/calendar.html): FullCalendar's week of free/busy,
   loaded from the page's events URL. The server sends local wall-clock times of the instrument's
   institution without an offset, and the calendar runs in "UTC" so that it shows them as they are,
   whatever zone the browser is in; "now" is the server's (data-now), so the time already over is
   greyed (the server's "past" events) and cannot be chosen.

   A time is chosen three ways, each filling the booking form below:
   - dragging over free time (a long press first on touch screens);
   - a tap (or click) on the start slot, then one on the end slot;
   - the keyboard: the calendar is focusable, the arrow keys move a visible cursor across the
     half-hour slots (left/right: a day; the week turns at its edges), Enter or Space sets the start
     and then the end. A live region says what happened.
   Every word the calendar shows comes from the page's bundle (data-labels, FullCalendar's locale
   given as an object, so no English default of FullCalendar shows on a Chinese page). Without
   JavaScript the page's list of the week and the form work alone. */
(function () {
  'use strict';

  var STEP = 30 * 60 * 1000;
  var DAY = 24 * 60 * 60 * 1000;

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  /* A Date of the calendar (wall time coded as UTC) as a datetime-local value. */
  function local(d) {
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + 'T' +
      pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
  }

  /* A wall time ("2030-03-05T10:00[:00]") as the calendar's Date, or null. */
  function wall(value) {
    if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) {
      return null;
    }
    var d = new Date(value.substring(0, 16) + ':00Z');
    return isNaN(d.getTime()) ? null : d;
  }

  function minutes(hhmmss) {
    var p = (hhmmss || '00:00').split(':');
    return parseInt(p[0], 10) * 60 + parseInt(p[1], 10);
  }

  function monday(d) {
    var day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY);
  }

  function init() {
    var el = document.getElementById('calendar');
    if (!el || !window.FullCalendar) {
      return;
    }
    var d = el.dataset;
    var L = {};
    try { L = JSON.parse(d.labels || '{}'); } catch (e) { L = {}; }
    var narrow = window.innerWidth < 640;
    var now = wall(d.now) || new Date();
    var dayStart = minutes(d.slotMin || '00:00');
    var dayEnd = minutes(d.slotMax || '24:00');
    var status = document.getElementById('calendar-status');
    var startInput = document.getElementById('f-start');
    var endInput = document.getElementById('f-end');
    var weekInput = document.querySelector('#booking-form input[name=week]');
    var cursor = null;
    var anchor = null;
    var restoring = false;
    var slotFormat = new Intl.DateTimeFormat(d.locale === 'en' ? 'en' : 'zh-CN',
      { timeZone: 'UTC', weekday: 'short', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

    function say(key, values) {
      var text = L[key] || key;
      Object.keys(values || {}).forEach(function (k) { text = text.replace('{' + k + '}', values[k]); });
      if (status) {
        status.textContent = text;
      }
      el.setAttribute('data-status', key);
    }

    function shown(date) { return slotFormat.format(date); }

    /* Whether [start, end) is free: not over, within the shown hours, overlapping no busy or closed time. */
    function free(start, end) {
      if (start < now) {
        return false;
      }
      return !calendar.getEvents().some(function (ev) {
        var kind = ev.extendedProps.kind;
        return kind !== 'cursor' && kind !== 'pending' && ev.start < end && (ev.end || ev.start) > start;
      });
    }

    function draw() {
      ['lc-cursor', 'lc-pending'].forEach(function (id) {
        var old = calendar.getEventById(id);
        if (old) { old.remove(); }
      });
      if (anchor && cursor) {
        var from = cursor < anchor ? cursor : anchor;
        var to = new Date((cursor < anchor ? anchor : cursor).getTime() + STEP);
        calendar.addEvent({ id: 'lc-pending', start: from, end: to, display: 'background',
          classNames: ['lc-pending'], extendedProps: { kind: 'pending' } });
      }
      if (cursor) {
        calendar.addEvent({ id: 'lc-cursor', start: cursor, end: new Date(cursor.getTime() + STEP),
          display: 'background', classNames: ['lc-cursor'], extendedProps: { kind: 'cursor' } });
        el.setAttribute('data-cursor', local(cursor));
      }
      el.setAttribute('data-anchor', anchor ? local(anchor) : '');
    }

    /* The first slot of the shown days that is not over (where the keyboard cursor starts). */
    function firstSlot() {
      var view = calendar.view;
      for (var t = view.activeStart.getTime(); t < view.activeEnd.getTime(); t += DAY) {
        for (var m = dayStart; m + 30 <= dayEnd; m += 30) {
          var s = new Date(t + m * 60000);
          if (s >= now) {
            return s;
          }
        }
      }
      return new Date(view.activeStart.getTime() + dayStart * 60000);
    }

    function moveTo(next) {
      var view = calendar.view;
      var m = next.getUTCHours() * 60 + next.getUTCMinutes();
      if (m < dayStart || m + 30 > dayEnd) {
        return;
      }
      cursor = next;
      if (next < view.activeStart || next >= view.activeEnd) {
        calendar.gotoDate(next);
      }
      draw();
      say('cursor', { slot: shown(cursor) });
    }

    /* Enter/Space or a tap on slot s: the start when none is set, else the end. */
    function choose(s) {
      cursor = s;
      var slotEnd = new Date(s.getTime() + STEP);
      if (!anchor || s < anchor) {
        if (s < now) {
          anchor = null;
          draw();
          say('past', { slot: shown(s) });
          return;
        }
        if (!free(s, slotEnd)) {
          anchor = null;
          draw();
          say('unavailable', { slot: shown(s) });
          return;
        }
        anchor = s;
        draw();
        say('start_set', { slot: shown(s) });
        return;
      }
      if (!free(anchor, slotEnd)) {
        anchor = null;
        draw();
        say('unavailable', { slot: shown(s) });
        return;
      }
      var start = anchor;
      anchor = null;
      draw();
      calendar.select(start, slotEnd);
    }

    var calendar = new window.FullCalendar.Calendar(el, {
      timeZone: 'UTC',
      now: d.now || undefined,
      locale: {
        code: d.locale,
        week: { dow: 1, doy: 4 },
        buttonText: { today: L.today, week: L.week, day: L.day, list: L.list, prev: '‹', next: '›' },
        buttonHints: { prev: L.prev, next: L.next, today: L['this'] },
        viewHint: L.view,
        navLinkHint: L.view,
        moreLinkHint: L.more,
        closeHint: '×',
        timeHint: '',
        eventHint: '',
        allDayText: L.all_day,
        moreLinkText: L.more,
        noEventsText: L.no_events
      },
      firstDay: 1,
      initialDate: d.initialDate,
      initialView: narrow ? 'timeGridThreeDay' : 'timeGridWeek',
      views: { timeGridThreeDay: { type: 'timeGrid', duration: { days: 3 }, buttonText: L.three_days } },
      headerToolbar: narrow ? { left: 'prev,next', center: 'title', right: 'timeGridDay,timeGridThreeDay' }
                            : { left: 'prev,next today', center: 'title', right: 'timeGridWeek,timeGridDay,listWeek' },
      allDaySlot: false,
      nowIndicator: true,
      height: 'auto',
      expandRows: true,
      slotDuration: '00:30:00',
      slotMinTime: d.slotMin || '00:00:00',
      slotMaxTime: d.slotMax || '24:00:00',
      slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      dayHeaderFormat: { weekday: 'short', month: 'numeric', day: 'numeric', omitCommas: true },
      selectable: true,
      selectMirror: true,
      selectMinDistance: 5,
      unselectAuto: false,
      selectOverlap: false,
      selectAllow: function (info) { return info.start >= now; },
      longPressDelay: 300,
      events: { url: d.events, extraParams: d.tenant ? { tenant: d.tenant } : {} },
      eventDataTransform: function (e) {
        var background = e.kind === 'hours' || e.kind === 'closure' || e.kind === 'past';
        return {
          title: e.title, start: e.start, end: e.end,
          display: background ? 'background' : 'block',
          classNames: ['lc-event', 'lc-' + (e.kind === 'booking' ? 'busy' : e.kind === 'closure' ? 'closed' : e.kind === 'hours' ? 'closed' : e.kind)],
          extendedProps: { kind: e.kind, mine: e.mine, status: e.status }
        };
      },
      eventDidMount: function (info) {
        info.el.setAttribute('data-kind', info.event.extendedProps.kind);
        info.el.setAttribute('data-start', local(info.event.start));
        if (info.event.title) {
          info.el.setAttribute('title', info.event.title);
        }
      },
      datesSet: function (info) {
        if (weekInput) {
          weekInput.value = local(monday(info.start)).substring(0, 10);
        }
        el.setAttribute('data-view-start', local(info.start).substring(0, 10));
      },
      dateClick: function (info) {
        choose(info.date);
      },
      select: function (info) {
        if (startInput && endInput) {
          startInput.value = local(info.start);
          endInput.value = local(info.end);
          if (weekInput) {
            weekInput.value = local(monday(info.start)).substring(0, 10);
          }
          if (!restoring) {
            say('chosen', { start: shown(info.start), end: shown(info.end) });
          }
          var form = document.getElementById('booking-form');
          if (!restoring && form && form.scrollIntoView && document.activeElement !== el) {
            form.scrollIntoView({ behavior: 'smooth', block: 'start' });
          }
        }
      }
    });

    el.addEventListener('focus', function () {
      if (!cursor) {
        cursor = firstSlot();
        draw();
      }
      say('cursor', { slot: shown(cursor) });
    });
    el.addEventListener('keydown', function (e) {
      if (e.target !== el) {
        return; // the toolbar's buttons keep their own keys
      }
      if (!cursor) {
        cursor = firstSlot();
      }
      var t = cursor.getTime();
      switch (e.key) {
        case 'ArrowUp': moveTo(new Date(t - STEP)); break;
        case 'ArrowDown': moveTo(new Date(t + STEP)); break;
        case 'ArrowLeft': moveTo(new Date(t - DAY)); break;
        case 'ArrowRight': moveTo(new Date(t + DAY)); break;
        case 'Enter': case ' ': case 'Spacebar': choose(cursor); break;
        case 'Escape': anchor = null; draw(); say('cursor', { slot: shown(cursor) }); break;
        default: return;
      }
      e.preventDefault();
    });

    calendar.render();
    el.lcCalendar = calendar;

    /* Back from a refused submit: the chosen time is still chosen on its week. */
    var chosenStart = wall(startInput && startInput.value);
    var chosenEnd = wall(endInput && endInput.value);
    if (chosenStart && chosenEnd && chosenEnd > chosenStart) {
      restoring = true;
      calendar.gotoDate(chosenStart);
      calendar.select(chosenStart, chosenEnd);
      restoring = false;
      cursor = chosenStart;
    }

    /* Unticking the assisted session without an authorisation: say before submit that it would be refused. */
    var assisted = document.getElementById('f-assisted');
    var warning = document.getElementById('assisted-needed');
    if (assisted && warning) {
      assisted.addEventListener('change', function () { warning.hidden = assisted.checked; });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
