"""The cluster view of the review: findings grouped by DBSCAN in PostGIS, its parameters and routes."""
