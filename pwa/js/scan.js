// Scan a label inside the app: the camera where the browser allows it, a photo of the label
// where it does not (plain-http school networks, some in-app browsers), or the short code typed.
import { h, show } from "./dom.js";
import { t } from "./i18n.js";

let detectorPromise = null;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = h("script", { src, onload: resolve, onerror: reject });
    document.head.append(script);
  });
}

async function detector() {
  if (!detectorPromise) {
    detectorPromise = (async () => {
      if ("BarcodeDetector" in window) {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) return new window.BarcodeDetector({ formats: ["qr_code"] });
      }
      await loadScript("/pwa/vendor/barcode-detector.js");
      const api = window.BarcodeDetectionAPI;
      api.setZXingModuleOverrides({
        locateFile: (path, prefix) => (path.endsWith(".wasm") ? "/pwa/vendor/zxing_reader.wasm" : prefix + path),
      });
      return new api.BarcodeDetector({ formats: ["qr_code"] });
    })();
  }
  return detectorPromise;
}

/** The token (or short code) a scanned text points to, if it is one of our labels. */
export function tokenFrom(text) {
  try {
    const url = new URL(text);
    const match = url.pathname.match(/\/p\/([A-Za-z0-9_-]{10,64})$/);
    return match ? match[1] : null;
  } catch {
    return null;
  }
}

export function scanScreen(navigate) {
  const status = h("p", { class: "error", role: "alert" });
  // apart from `status`: a camera refusal arriving late must not hide what a photo said
  const cameraNote = h("p", { class: "muted", hidden: true, text: t("scan.no_camera") });
  const video = h("video", { playsinline: true, muted: true, class: "camera", hidden: true });
  let stream = null;
  let stopped = false;
  const stop = () => { stopped = true; stream?.getTracks().forEach((track) => track.stop()); };

  const found = (codes) => {
    for (const code of codes) {
      const token = tokenFrom(code.rawValue);
      if (token) { stop(); navigate(`/p/${token}`); return true; }
    }
    if (codes.length) status.textContent = t("scan.not_ours");
    return false;
  };

  const photo = h("input", { type: "file", accept: "image/*", capture: "environment", class: "visually-hidden",
    onchange: async () => {
      const file = photo.files[0];
      photo.value = "";
      if (!file) return;
      status.textContent = t("scan.reading");
      try {
        const codes = await (await detector()).detect(await createImageBitmap(file));
        if (!found(codes) && !codes.length) status.textContent = t("scan.none");
      } catch {
        status.textContent = t("scan.failed");
      }
    } });
  const code = h("input", { name: "code", autocomplete: "off", autocapitalize: "characters", placeholder: "XXXX-XXXX" });
  const typed = h("form", { class: "card", onsubmit: (event) => {
    event.preventDefault();
    const value = code.value.trim();
    if (value) { stop(); navigate(`/p/${encodeURIComponent(value)}`); }
  } }, h("label", {}, h("span", { text: t("scan.type_code") }), code),
  h("button", { type: "submit", class: "secondary wide", text: t("scan.open") }));

  show(h("section", {},
    h("h1", { text: t("scan.title") }), video, cameraNote, status,
    h("label", { class: "secondary wide photo-button" }, h("span", { text: t("scan.photo") }), photo),
    typed));

  if (navigator.mediaDevices?.getUserMedia) {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(async (media) => {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        await video.play();
        const scanner = await detector();
        const tick = async () => {
          if (stopped || !document.body.contains(video)) return stop();
          try { if (found(await scanner.detect(video))) return; } catch { /* a frame that could not be read */ }
          setTimeout(tick, 250);
        };
        tick();
      })
      .catch(() => { cameraNote.hidden = false; });
  } else {
    cameraNote.hidden = false;
  }
}
