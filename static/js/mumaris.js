/* Progressive enhancements only: every page works without this file. */
(function () {
  "use strict";

  // Move focus to the error summary after a failed submit, so it is read first.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }

  // Captcha refresh: ask the server for a new challenge and swap the image and key.
  document.querySelectorAll(".captcha-refresh").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var container = button.closest(".captcha");
      var request = new XMLHttpRequest();
      request.open("GET", button.getAttribute("data-refresh-url"));
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      request.onload = function () {
        if (request.status !== 200) {
          return;
        }
        var challenge = JSON.parse(request.responseText);
        container.querySelector("img").setAttribute("src", challenge.image_url);
        container.querySelector("input[type=hidden]").value = challenge.key;
        var answer = container.querySelector("input[type=text]");
        answer.value = "";
        answer.focus();
      };
      request.send();
    });
  });
})();
