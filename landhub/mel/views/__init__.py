"""MEL pages, one module per area; each module ends with its ``urlpatterns`` (joined in
``urls.py``). Thin views: parse input, call a selector or a service, render."""
