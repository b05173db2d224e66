"""Layout checks the browser tests run in the page: what is cut off at the screen's edge, what a map covers."""

MAPS = ".leaflet-container, #grid-map, .field-map, .map-frame"
# Anything reaching past the screen's right edge, unless a box of its own clips or scrolls it: on a phone
# (phone.css hides the page's horizontal overflow) it is cut off, on a desktop the whole page scrolls sideways.
CUT_OFF = """() => [...document.body.querySelectorAll('*')].filter(el => {
    if (!el.checkVisibility() || el.getBoundingClientRect().right <= innerWidth + 1) return false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
        if (getComputedStyle(p).overflowX !== 'visible') return false;
    return true; }).map(el => el.tagName + '.' + el.className + ' ' + el.textContent.slice(0, 20))"""
# Blocks a map's box runs into (neither inside the map nor holding it): the map hides them or they hide it.
OVERLAPPED = """(maps) => [...document.querySelectorAll(maps)].filter(m => m.offsetParent !== null).flatMap(m => {
    const a = m.getBoundingClientRect();
    return [...document.querySelectorAll('section, aside, details, table, form, h2, .table-box')]
        .filter(el => el.checkVisibility() && !el.contains(m) && !m.contains(el))  // not in a closed <details>
        .filter(el => { const b = el.getBoundingClientRect();
            return b.width > 0 && b.height > 0 && a.left < b.right - 1 && b.left < a.right - 1
                && a.top < b.bottom - 1 && b.top < a.bottom - 1; })
        .map(el => el.tagName + '.' + el.className); })"""
