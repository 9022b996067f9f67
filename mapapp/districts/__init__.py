"""Districts (Ortsteile and Stadtbezirke): importing their boundaries and serving them as GeoJSON."""
