/* The instrument booking calendar (views/booking/calendar.html): FullCalendar's week of free/busy,
   loaded from the page's events URL. The server sends local wall-clock times of the instrument's
   institution without an offset, and the calendar runs in "UTC" so that it shows them as they are,
   whatever zone the browser is in. Selecting a free range fills the booking form below. Without
   JavaScript the page's list of the week and the form work alone. */
(function () {
  'use strict';

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  /* A Date of the calendar (wall time coded as UTC) as a datetime-local value. */
  function local(d) {
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + 'T' +
      pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
  }

  function init() {
    var el = document.getElementById('calendar');
    if (!el || !window.FullCalendar) {
      return;
    }
    var d = el.dataset;
    var narrow = window.innerWidth < 640;
    var calendar = new window.FullCalendar.Calendar(el, {
      timeZone: 'UTC',
      locale: d.locale,
      firstDay: 1,
      initialDate: d.initialDate,
      initialView: narrow ? 'timeGridThreeDay' : 'timeGridWeek',
      views: { timeGridThreeDay: { type: 'timeGrid', duration: { days: 3 }, buttonText: '3' } },
      headerToolbar: narrow ? { left: 'prev,next', center: 'title', right: 'timeGridDay,timeGridThreeDay' }
                            : { left: 'prev,next today', center: 'title', right: 'timeGridWeek,timeGridDay,listWeek' },
      buttonText: { today: d.today, week: d.week, day: d.day, list: d.list },
      allDaySlot: false,
      nowIndicator: false,
      height: 'auto',
      expandRows: true,
      slotDuration: '00:30:00',
      slotMinTime: d.slotMin || '00:00:00',
      slotMaxTime: d.slotMax || '24:00:00',
      slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      selectable: true,
      selectMirror: true,
      unselectAuto: false,
      selectOverlap: false,
      longPressDelay: 300,
      events: { url: d.events, extraParams: d.tenant ? { tenant: d.tenant } : {} },
      eventDataTransform: function (e) {
        var background = e.kind === 'hours' || e.kind === 'closure';
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
        info.el.setAttribute('title', info.event.title);
      },
      select: function (info) {
        var start = document.getElementById('f-start');
        var end = document.getElementById('f-end');
        if (start && end) {
          start.value = local(info.start);
          end.value = local(info.end);
          var form = document.getElementById('booking-form');
          if (form && form.scrollIntoView) {
            form.scrollIntoView({ behavior: 'smooth', block: 'start' });
          }
        }
      }
    });
    calendar.render();
    el.lcCalendar = calendar;
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
