"""Photo evidence in pure Pillow and numpy: real type, EXIF facts, derived images, perceptual hash."""
