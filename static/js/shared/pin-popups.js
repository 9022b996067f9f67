// Opening a finding's popup on a map whose pins are grouped (Leaflet.markercluster). The group
// redraws its pins after every zoom and Leaflet drops a zoom asked for during another one: the
// functions here keep a popup open through the redrawing and wait for a running zoom.

/**
 * The pin group draws its pins anew after every zoom: it takes each pin off the map and puts
 * it back in the same moment. Leaflet closes a pin's popup when the pin leaves the map, so a
 * popup opened during a zoom (e.g. the saved finding's, while the map zooms to the GPS fix)
 * vanished. Close it only when the pin is really gone after that moment: grouped into a count
 * bubble, hidden while being edited, or removed.
 */
export function keepPopupThroughRegrouping(marker) {
  marker.off('remove', marker.closePopup);
  marker.on('remove', () => queueMicrotask(() => {
    if (!marker._map) marker.closePopup();
  }));
}

/**
 * @param {L.Map} map
 * @param {L.MarkerClusterGroup} pins the group of pins
 * @param {(layer) => L.LayerGroup} holderOf the group a layer belongs in (pins or lines)
 * @returns {{openPopupOf: Function, openIfVisible: Function}}
 */
export function createPopupOpener(map, pins, holderOf) {
  let zooming = false;
  map.on('zoomstart', () => { zooming = true; });
  map.on('zoomend', () => { zooming = false; });

  /**
   * Open a layer's popup; a pin inside a group is first zoomed to or spread out. Leaflet drops a
   * zoom asked for while another zoom is running (e.g. the zoom to the GPS fix), so during one
   * this waits for its end.
   */
  function openPopupOf(layer) {
    if (zooming) {
      map.once('zoomend', () => { if (holderOf(layer).hasLayer(layer)) openPopupOf(layer); });
      return;
    }
    if (holderOf(layer) === pins && pins.hasLayer(layer) && !layer._map) {
      pins.zoomToShowLayer(layer, () => layer.openPopup());
    } else {
      layer.openPopup();
    }
  }

  /**
   * Open a layer's popup after a running zoom, zooming in to a group that holds it, but not when
   * only spreading a group out at the last zoom would show it (findings a few metres apart):
   * then the map stays as it is.
   */
  function openIfVisible(layer) {
    if (zooming) {
      map.once('zoomend', () => openIfVisible(layer));
    } else if (layer._map) {
      if (!layer.isPopupOpen()) layer.openPopup();
    } else if (pins.hasLayer(layer) && layer.__parent?._zoom < map.getMaxZoom()) {
      openPopupOf(layer);
    }
  }

  return { openPopupOf, openIfVisible };
}
