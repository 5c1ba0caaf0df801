"""Storage: SQLAlchemy models, the database handle and one store per aggregate. SQL lives only here."""
