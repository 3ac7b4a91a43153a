// Progressive enhancement only: every action works as a plain form without this file.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const nav = document.getElementById("main-nav");
  if (toggle && nav) {
    document.documentElement.classList.add("js-menu");
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    });
  }
  const all = document.querySelector("[data-select-all]");
  if (all) all.addEventListener("change", () => {
    document.querySelectorAll('input[name="ids"]').forEach((box) => { box.checked = all.checked; });
  });
  const form = document.getElementById("chat-form");
  const log = document.getElementById("chat-log");
  if (form && log) {
    log.scrollTop = log.scrollHeight;
    form.addEventListener("submit", async (event) => {
      if (event.submitter && event.submitter.name === "new") return;
      event.preventDefault();
      const input = form.querySelector("#chat-input");
      const text = input.value.trim();
      if (!text) return;
      const add = (role, value) => {
        const div = document.createElement("div");
        div.className = "turn " + role;
        div.innerHTML = '<span class="who"></span><div class="text"></div>';
        div.querySelector(".who").textContent = role === "user" ? "You" : "ar-agent";
        div.querySelector(".text").textContent = value;
        log.appendChild(div);
        log.scrollTop = log.scrollHeight;
        return div;
      };
      add("user", text);
      input.value = "";
      const pending = add("agent", "…thinking");
      const body = new FormData(form);
      body.set("text", text);
      try {
        const response = await fetch("/chat", { method: "POST", body, headers: { "Accept": "application/json" } });
        const data = await response.json();
        pending.querySelector(".text").textContent = response.ok ? data.text : (data.detail || "Something went wrong.");
      } catch (err) {
        pending.querySelector(".text").textContent = "The server did not answer: " + err;
      }
    });
  }
});
