// Placeholder so the library builds until its sources land.
