// Search-as-you-type pickers for the forms' foreign keys (teachers/widgets.py PickerSelect, Tom Select).
// The page renders only the chosen option; the choices come from the select's data-picker-url a page at a time
// (?q=…&page=…), narrowed by the fields named in data-picker-depends (their current values are sent along).
(function () {
  if (typeof TomSelect === "undefined") return;

  function params(select, query) {
    var p = new URLSearchParams();
    var depends = JSON.parse(select.dataset.pickerDepends || "{}");
    Object.keys(depends).forEach(function (param) {
      var source = select.form && select.form.elements[depends[param]];
      p.set(param, source ? source.value : "");
    });
    p.set("q", query);
    return p;
  }

  function init(select) {
    var url = select.dataset.pickerUrl;
    var hint = "";
    var plugins = ["virtual_scroll"];
    if (select.multiple) plugins.push("remove_button");
    else if (!select.required) plugins.push("clear_button");
    var ts = new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      plugins: plugins,
      maxOptions: null,
      preload: "focus",
      loadThrottle: 250,
      placeholder: select.dataset.placeholder || "",
      // The server has searched already: show its answer as it came, in its order.
      score: function () { return function () { return 1; }; },
      shouldLoad: function () { return true; },
      firstUrl: function (query) { return url + "?" + params(select, query).toString(); },
      load: function (query, callback) {
        var self = this;
        fetch(this.getUrl(query), {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (r) { return r.json(); })
          .then(function (data) {
            hint = data.hint || data.error || "";
            if (data.next) self.setNextUrl(query, data.next);
            callback(data.results || []);
          })
          .catch(function () { hint = "Не удалось загрузить список: проверьте связь и попробуйте ещё раз."; callback(); });
      },
      // A single choice made: leave the field, so the form does not shift under the next click.
      onItemAdd: function () { if (!select.multiple) this.blur(); },
      render: {
        option: function (item, escape) {
          return "<div><div>" + escape(item.text) + "</div>" +
            (item.detail ? '<div class="small text-muted">' + escape(item.detail) + "</div>" : "") + "</div>";
        },
        item: function (item, escape) {
          var title = item.text + (item.detail ? " · " + item.detail : "");
          return '<div title="' + escape(title) + '">' + escape(item.text) +
            (item.detail ? ' <span class="small text-muted">· ' + escape(item.detail) + "</span>" : "") + "</div>";
        },
        no_results: function () {
          return '<div class="no-results">' + (hint || "Ничего не найдено") + "</div>";
        },
        loading_more: function () { return '<div class="loading-more-results py-2 d-flex align-items-center"><div class="spinner"></div> Загружаем…</div>'; },
        no_more_results: function () { return ""; },
      },
    });
    // A field this one depends on changed: its choices are another set now.
    var depends = JSON.parse(select.dataset.pickerDepends || "{}");
    Object.keys(depends).forEach(function (param) {
      var source = select.form && select.form.elements[depends[param]];
      if (!source) return;
      source.addEventListener("change", function () {
        ts.clear();
        ts.clearOptions();
        ts.clearPagination();
        ts.loadedSearches = {};
        ts.settings.preload = "focus";
        ts.preloaded = false;
      });
    });
  }

  document.querySelectorAll("select[data-picker-url]").forEach(init);
})();
