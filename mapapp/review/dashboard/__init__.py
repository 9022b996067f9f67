"""The review dashboard: figures per district, the SVG bar chart, the choropleth map and their routes."""
