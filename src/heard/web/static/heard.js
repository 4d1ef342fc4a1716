// heard's pages work without this script. It only adds three things:
// - "Copy" buttons (the text stays on the page, selectable, without it);
// - uploads sent to the API (POST /api/v1/imports, which takes large files), then the job page;
// - live progress on an import's page (without it, the page refreshes itself every few seconds).
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-status"));
    if (!target || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.innerText).then(
        function () {
          if (status) status.textContent = "Copied.";
        },
        function () {
          if (status) status.textContent = "Could not copy: select the text and copy it.";
        }
      );
    });
  });

  var upload = document.querySelector("form[data-upload]");
  if (upload && window.fetch && window.FormData) {
    upload.addEventListener("submit", function (event) {
      event.preventDefault();
      var status = document.getElementById("upload-status");
      var button = upload.querySelector("button[type=submit]");
      status.textContent = "Uploading…";
      button.disabled = true;
      fetch(upload.getAttribute("data-upload"), {
        method: "POST",
        body: new FormData(upload),
        headers: { "X-CSRF-Token": csrfToken(), Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().then(function (body) {
            return { ok: response.ok, body: body };
          });
        })
        .then(
          function (result) {
            if (result.ok) {
              window.location.assign("/imports/" + encodeURIComponent(result.body.id));
            } else {
              status.textContent = "The upload failed: " + (result.body.error || "unknown error");
              button.disabled = false;
            }
          },
          function () {
            status.textContent = "The upload failed: the server did not answer.";
            button.disabled = false;
          }
        );
    });
  }

  var job = document.querySelector("[data-job]");
  if (job && window.fetch) {
    var url = job.getAttribute("data-job");
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(
          function (state) {
            if (!state) return;
            ["status", "records", "scored", "rejected"].forEach(function (key) {
              var field = job.querySelector('[data-field="' + key + '"]');
              if (field) field.textContent = String(state[key]);
            });
            if (state.status === "done" || state.status === "failed") {
              window.location.reload();
            } else {
              window.setTimeout(poll, 1000);
            }
          },
          function () {
            window.setTimeout(poll, 3000);
          }
        );
    };
    window.setTimeout(poll, 1000);
  }
})();
