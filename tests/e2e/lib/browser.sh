# browser.sh - what the end-to-end tests that open a page in headless
# Chromium share (report_browser*.sh, publish.sh). Sourced, not run:
#
#   . "$ER_SOURCE_DIR/tests/e2e/lib/browser.sh"
#   er_find_browser || { echo "SKIP: chromium not installed"; exit 77; }
#   chrome --dump-dom "file://$work/report.html" >report.dom
#
# The caller sets `work` (its temporary folder) before calling chrome; the
# browser's messages go to $work/chromium.log, which er_browser_log shows
# when a test fails.

# er_find_browser: sets `browser` to $CHROMIUM, else the first of chromium
# and chromium-browser on the PATH; status 1 when there is none.
er_find_browser() {
    browser=${CHROMIUM:-}
    if [ -z "$browser" ]; then
        for b in chromium chromium-browser; do
            if command -v "$b" >/dev/null 2>&1; then
                browser=$b
                break
            fi
        done
    fi
    [ -n "$browser" ]
}

# chrome ARGS...: headless Chromium with a fresh profile, no network
# services, messages into $work/chromium.log.
chrome() {
    "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --disable-dev-shm-usage \
        --user-data-dir="$(mktemp -d "$work/profile.XXXXXX")" \
        "$@" 2>>"$work/chromium.log"
}

# er_browser_log: the last messages of the browser on stderr, if any.
er_browser_log() {
    if [ -n "${work:-}" ] && [ -s "$work/chromium.log" ]; then
        echo "--- chromium's messages:" >&2
        tail -n 20 "$work/chromium.log" >&2
    fi
}
