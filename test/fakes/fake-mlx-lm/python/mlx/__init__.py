"""Fake MLX for mallex's tests: only what mallex's wrapper and the fake mlx_lm.server touch."""
