/* Every Leaflet map made after this script shows the project's short attribution (its script tag's
   data-prefix, gridmgmt.domain.wording.ATTRIBUTION) where Leaflet puts its own name and flag. */
L.Control.Attribution.mergeOptions({prefix: document.currentScript.dataset.prefix});
