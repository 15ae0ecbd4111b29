"""Routes of the web front. Pages added later (/connect, /projects, /profile/<user>, search)
join this `web` namespace; the layout shows a navigation link once its name resolves."""

from django.urls import include, path

from konnaxion.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
]

# Outside the namespace: Django's own view posts here by the name "set_language".
i18n_urlpatterns = [path("i18n/", include("django.conf.urls.i18n"))]
