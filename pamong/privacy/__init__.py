"""The personal-data coordinator (UU 27/2022): export, retention and erasure over every module's declaration
(`<module>/personal_data.py`, discovered at start-up like `admin.py`). Composition root: it may import any module,
and none imports it."""
