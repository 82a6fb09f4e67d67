"""Settings read from environment variables (prefix ``IRP_``), the same for every service."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ASYMMETRIC = frozenset({"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384",
                        "PS512", "EdDSA"})  # fmt: skip


class ServiceSettings(BaseSettings):
    """One service process's configuration.

    Every field maps to ``IRP_<FIELD>``; the README lists them all.
    """

    model_config = SettingsConfigDict(env_prefix="IRP_", extra="ignore")

    service: str = "visits"
    database_url: str = ""
    var_dir: str = "var"
    kafka_bootstrap: str = "127.0.0.1:9092"
    topic_prefix: str = ""
    topic_partitions: int = 3
    consumer_group: str = ""
    jwt_secret: str = ""
    jwt_algorithm: str = "HS256"
    jwt_issuer: str = "irp"
    jwt_audience: str = Field("irp-api", description="the audience IRP's access tokens are for")
    oidc_issuer: str = Field(
        "",
        description="the ministry's identity provider (OpenID Connect issuer URL); set, every "
        "token is verified against its published keys and IRP_JWT_SECRET must be unset",
    )
    oidc_algorithms: list[str] = Field(
        ["RS256", "ES256", "PS256"], description="the signature algorithms accepted from it"
    )
    oidc_keys_cache_seconds: float = Field(
        900.0, gt=0, description="how long its keys are kept before they are fetched again"
    )
    oidc_refresh_min_seconds: float = Field(
        30.0, ge=1, description="a token naming an unknown key fetches them at most this often"
    )
    oidc_clock_skew_seconds: int = Field(
        60, ge=0, le=600, description="leeway on exp, nbf and iat between its clock and ours"
    )
    oidc_roles_claim: str = Field(
        "roles",
        description="the claim holding the caller's roles or groups (a dotted path: "
        "realm_access.roles for Keycloak)",
    )
    oidc_role_scopes: dict[str, list[str]] = Field(
        default_factory=dict,
        description='the scopes each role grants (JSON: {"irp-reporting": ["reports:read"]})',
    )
    oidc_client_id: str = Field(
        "", description="this service's client at the provider, for its calls to other services"
    )
    oidc_client_secret: str = Field("", description="its secret")
    oidc_resource: str = Field(
        "", description="the resource indicator (RFC 8707) its tokens are asked for, if any"
    )
    office_oidc_client_id: str = Field(
        "", description="reporting: the office page's client at the provider (set: its sign-in)"
    )
    office_oidc_client_secret: str = Field("", description="reporting: its secret")
    office_oidc_scopes: str = Field(
        "openid profile",
        description="reporting: the scopes the office's sign-in asks for (add the one that "
        "carries the roles claim, if the provider needs it asked)",
    )
    office_public_url: str = Field(
        "",
        description="reporting: the service's address as the office's browsers reach it, for "
        "the provider's redirects (default: the address each request came to)",
    )
    run_relay: bool = True
    run_consumers: bool = True
    auto_migrate: bool = True
    relay_batch_size: int = 500
    relay_poll_interval: float = Field(
        10.0, gt=0, description="seconds between outbox polls when no commit woke the relay"
    )
    relay_max_backoff: float = 10.0
    consumer_batch_size: int = 500
    consumer_max_attempts: int = 3
    consumer_retry_backoff: float = 0.2
    consumer_session_timeout_ms: int = 10_000
    consumer_fetch_wait_ms: int = Field(
        50, ge=0, description="how long a fetch waits at the broker while events flow"
    )
    consumer_idle_fetch_wait_ms: int = Field(
        5000, ge=0, description="how long it waits once the streams are quiet (fewer polls)"
    )
    consumer_idle_after_seconds: float = Field(
        10.0, gt=0, description="seconds without events after which the streams count as quiet"
    )
    log_level: str = "INFO"
    max_body_bytes: int = Field(1024 * 1024, description="largest request body (413 beyond)")
    max_import_bytes: int = Field(10 * 1024 * 1024, description="largest file to import")
    max_header_bytes: int = Field(16 * 1024, description="largest request line and headers")
    max_page_size: int = Field(200, ge=1, description="most items one page of a list holds")
    worker_metrics_port: int = Field(
        0, description="irp worker: the port of its /metrics for Prometheus (0: none)"
    )
    broker_check_interval: float = Field(10.0, description="seconds between broker probes")
    office_timezone: str = Field(
        "Asia/Tbilisi", description="the office's clock: calendar times are given in it"
    )
    expiry_window_days: int = Field(90, description="agreements: how near expiry counts as soon")
    reminder_sweep_interval: float = Field(
        3600.0, description="agreements, visits: seconds between sweeps for due dates"
    )
    deadline_notice_days: int = Field(
        14, ge=0, le=365, description="obligations, agreements: days before a date to remind"
    )
    progress_notice_days: int = Field(
        7, ge=0, le=90, description="obligations: days before a period ends to ask for its report"
    )
    progress_grace_days: int = Field(
        10, ge=0, le=90, description="obligations: days after a period's end its report is due"
    )
    digest_hour: int = Field(
        7, ge=0, le=23, description="notifications: the hour (UTC) from which a day's digests go"
    )
    escalate_after_days: int = Field(
        7, ge=1, le=365, description="notifications: days overdue before the unit's head is told"
    )
    notification_interval: float = Field(
        60.0, description="notifications: seconds between composing and sending runs"
    )
    notification_retry_seconds: float = Field(
        60.0, description="notifications: the first wait after a failed send (then doubled)"
    )
    notification_templates_dir: str = Field(
        "", description="notifications: a folder of the office's own templates (default shipped)"
    )
    service_urls: dict[str, str] = Field(
        default_factory=lambda: {
            name: f"http://127.0.0.1:{8001 + i}"
            for i, name in enumerate(
                ("visits", "agreements", "passports", "reporting", "directory", "notifications")
            )
        },
        description="where each service answers, for links in messages and calls between them",
    )
    smtp_host: str = Field("127.0.0.1", description="notifications: the SMTP relay")
    smtp_port: int = Field(8025, description="notifications: its port")
    smtp_starttls: bool = Field(False, description="notifications: upgrade with STARTTLS")
    smtp_username: str = Field("", description="notifications: the relay's account, if any")
    smtp_password: str = Field("", description="notifications: its password")
    smtp_timeout: float = Field(30.0, description="notifications: seconds to wait for the relay")
    mail_from: str = Field(
        "irp-noreply@mfa.gov.ge", description="notifications: the sender of every message"
    )
    office_mailbox: str = Field(
        "", description="notifications: where reminders of no known unit go (empty: nowhere)"
    )
    talking_points_notice_days: int = Field(
        3, ge=0, le=60, description="visits: days before talking points are due to remind"
    )
    trip_report_days: int = Field(
        10, ge=0, le=90, description="visits: days after a trip's return its report is due"
    )
    run_schedules: bool = True
    passport_entitlements: dict[str, list[str]] = {
        "diplomatic": ["minister", "deputy_minister", "head_of_department"],
        "service": ["head_of_department", "head_of_lepl", "other_entitled"],
    }
    passport_max_validity_years: int = 10
    passport_expiry_window_days: int = 180
    passport_return_days: int = 30
    passport_safe_return_days: int = Field(
        5,
        ge=0,
        le=90,
        description="passports: days after a trip to put the passport back in the safe",
    )
    passport_sweep_interval: float = 3600.0
    passport_validity_margin_days: int = 180
    snapshot_dir: str = Field("", description="reporting: default <var_dir>/snapshots/<service>")
    snapshot_every_events: int = 10_000
    snapshot_keep: int = 50
    snapshot_check_interval: float = 60.0
    trend_refresh_interval: float = Field(
        900.0, description="reporting: seconds between computing the trend's missing months"
    )
    trend_refresh_delay: float = Field(
        60.0, description="reporting: seconds after the start (the streams caught up) before it"
    )
    report_template: str = Field(
        "",
        description="reporting: the office's DOCX template (styles, page, running header and "
        "footer); default the shipped one",
    )
    report_cache_mb: int = Field(
        32,
        ge=0,
        description="reporting: memory for answers kept until a table they are made from changes",
    )
    office_session_hours: float = Field(8.0, description="reporting: an office sign-in lasts")
    office_secure_cookie: bool = Field(
        False, description="reporting: the office cookie only over HTTPS (set it in production)"
    )

    @field_validator("oidc_algorithms")
    @classmethod
    def _asymmetric_only(cls, value: list[str]) -> list[str]:
        refused = [a for a in value if a not in ASYMMETRIC]
        if refused or not value:
            raise ValueError(f"only signatures with the provider's public keys: not {refused}")
        return value

    @model_validator(mode="after")
    def _one_token_mode(self) -> ServiceSettings:
        if self.oidc_issuer and self.jwt_secret:
            raise ValueError(
                "IRP_OIDC_ISSUER and IRP_JWT_SECRET are both set: with an identity provider, "
                "no token may be made from a shared secret (unset IRP_JWT_SECRET)"
            )
        return self

    @field_validator("office_timezone")
    @classmethod
    def _a_known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except Exception as error:  # not a name of the tz database
            raise ValueError(f"{value!r} is not a time zone of the tz database") from error
        return value

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.var_dir}/{self.service}.db"

    @property
    def effective_snapshot_dir(self) -> str:
        return self.snapshot_dir or f"{self.var_dir}/snapshots/{self.service}"

    @property
    def effective_consumer_group(self) -> str:
        return self.consumer_group or f"irp-{self.service}"


def load_settings(service: str, **overrides: object) -> ServiceSettings:
    """Settings for ``service``; explicit overrides win over the environment."""
    return ServiceSettings(**{"service": service, **overrides})
