from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services, throttle
from accounts.forms import EmailAuthenticationForm, ProfileForm
from accounts.home import home_panels
from accounts.middleware import SUPPORTED_LANGUAGES


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "accounts/landing.html")
    memberships = list(selectors.memberships_of(request.user))
    return render(
        request,
        "accounts/home.html",
        {"memberships": memberships, "panels": home_panels(request)},
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_preferences(
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            preferred_language=form.cleaned_data["preferred_language"],
            time_zone=form.cleaned_data["time_zone"],
        )
        translation.activate(request.user.preferred_language)
        messages.success(request, _("Your profile has been saved."))
        response = HttpResponseRedirect(reverse("accounts:profile"))
        _set_language_cookie(response, request.user.preferred_language)
        return response
    memberships = list(selectors.memberships_of(request.user))
    return render(
        request, "accounts/profile.html", {"form": form, "memberships": memberships}
    )


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.headers.get("referer") or "/"
    if url_has_allowed_host_and_scheme(
        candidate,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return candidate
    return "/"


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        httponly=True,
    )


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(_safe_next(request))
    if language not in SUPPORTED_LANGUAGES:
        messages.error(
            request,
            _(
                "“%(code)s” is not a language Lodestar offers. Choose 简体中文 or English."
            )
            % {"code": language[:20]},
        )
        return response
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    _set_language_cookie(response, language)
    return response


class LoginView(auth_views.LoginView):
    """Sign in; too many wrong passwords from one client wait (accounts.throttle)."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(
        self, request: HttpRequest, *args: object, **kwargs: object
    ) -> HttpResponse:
        email = str(request.POST.get("username", ""))
        if throttle.is_locked(request, email):
            return locked_out(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: EmailAuthenticationForm) -> HttpResponse:
        throttle.reset(self.request, str(self.request.POST.get("username", "")))
        response = super().form_valid(form)
        _set_language_cookie(response, form.get_user().preferred_language)
        return response

    def form_invalid(self, form: EmailAuthenticationForm) -> HttpResponse:
        email = str(self.request.POST.get("username", ""))
        throttle.record_failure(self.request, email)
        if throttle.is_locked(self.request, email):
            return locked_out(self.request)
        return super().form_invalid(form)


def locked_out(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/locked_out.html",
        {"cooloff_minutes": settings.LOGIN_COOLOFF_MINUTES},
        status=429,
    )


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_email.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
