"""Pages of governance, one module per area (``bodies``, ``issues``, ``meetings``,
``decisions``, ``actions``, ``plans``), each with its ``urlpatterns``."""
