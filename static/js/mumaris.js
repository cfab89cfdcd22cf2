/* Progressive enhancements only: every page works without this file. */
(function () {
  "use strict";

  // Move focus to the error summary after a failed submit, so it is read first.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }

  // Captcha refresh: the link reloads the page; here we ask the server for a new challenge and
  // swap the image, the key and the audio link in place, so nothing typed is lost.
  document.querySelectorAll(".captcha-refresh").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var container = link.closest(".captcha");
      var request = new XMLHttpRequest();
      request.open("GET", link.getAttribute("data-refresh-url"));
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      request.onload = function () {
        if (request.status !== 200) {
          return;
        }
        var challenge = JSON.parse(request.responseText);
        var key = container.querySelector("input[type=hidden]");
        var audio = container.querySelector(".captcha-audio");
        if (audio) {
          audio.setAttribute("href", audio.getAttribute("href").replace(key.value, challenge.key));
        }
        var player = container.querySelector(".captcha-player");
        if (player) {
          player.setAttribute("src", player.getAttribute("src").replace(key.value, challenge.key));
        }
        container.querySelector("img").setAttribute("src", challenge.image_url);
        key.value = challenge.key;
        var answer = container.querySelector("input[type=text]");
        answer.value = "";
        answer.focus();
      };
      request.send();
    });
  });

  // Esc closes the account menu (a <details>, which opens and closes without this file) and puts
  // focus back on its toggle, as keyboard users expect of a menu.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    document.querySelectorAll("details.account-menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });
})();
