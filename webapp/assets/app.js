// The app's one script: it reads initData, sends it with every request, and
// puts the HTML the server renders in the page. Links and buttons name what
// to ask for in data-get (a screen) and data-post (a write, its form's fields).
(function () {
  "use strict";
  var app = document.getElementById("app");
  var base = app.dataset.home.replace(/home$/, "");
  var header = app.dataset.header;
  var hash = new URLSearchParams(location.hash.slice(1));
  var tg = window.Telegram && window.Telegram.WebApp;
  // Telegram puts initData and the theme in the address it opens; its script
  // reads them from there too, so the app works without it.
  var initData = (tg && tg.initData) || hash.get("tgWebAppData") || "";
  if (!(tg && tg.initData)) {
    try {
      var theme = JSON.parse(hash.get("tgWebAppThemeParams") || "{}");
      Object.keys(theme).forEach(function (k) {
        document.documentElement.style.setProperty("--tg-theme-" + k.replace(/_/g, "-"), theme[k]);
      });
    } catch (e) { /* no theme: the defaults */ }
  }
  if (tg) { tg.ready(); tg.expand(); }

  function show(response) {
    return response.text().then(function (html) {
      app.innerHTML = html;
      window.scrollTo(0, 0);
    });
  }
  function ask(path, body) {
    var opts = { headers: {}, method: body ? "POST" : "GET", body: body };
    opts.headers[header] = initData;
    return fetch(base + path, opts).then(show, function () {
      app.innerHTML = '<p class="error" role="alert">⚠︎</p>';
    });
  }
  document.addEventListener("click", function (e) {
    var get = e.target.closest("[data-get]");
    if (get) {
      e.preventDefault();
      ask(get.dataset.get);
      return;
    }
    var post = e.target.closest("[data-post]");
    if (post) {
      e.preventDefault();
      var form = post.closest("form");
      var body = new URLSearchParams(form ? new FormData(form) : undefined);
      Object.keys(post.dataset).forEach(function (k) {
        if (k !== "post") { body.set(k, post.dataset[k]); }
      });
      ask(post.dataset.post, body);
    }
  });
  ask("home");
})();
