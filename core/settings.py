"""One settings object, read from the environment and a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.clock import Clock, parse_clock

DEFAULT_POLICY = Path(__file__).resolve().parent.parent / "policies" / "default.yaml"


class Settings(BaseSettings):
    """Every knob of ar-agent. Names match the environment variables in CONTRACTS.md."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field("sqlite:///./ar-agent.db", alias="AR_AGENT_DATABASE_URL")
    model: str | None = Field(None, alias="AR_AGENT_MODEL")
    clock: str | None = Field(None, alias="AR_AGENT_CLOCK")
    smtp_url: str | None = Field(None, alias="AR_AGENT_SMTP_URL")
    imap_url: str | None = Field(None, alias="AR_AGENT_IMAP_URL")
    imap_interval: float = Field(60.0, alias="AR_AGENT_IMAP_INTERVAL", gt=0)
    imap_move_to: str | None = Field(None, alias="AR_AGENT_IMAP_MOVE_TO")
    policy_path: Path = Field(DEFAULT_POLICY, alias="AR_AGENT_POLICY")
    from_address: str = Field("Accounts Receivable <ar@example.com>", alias="AR_AGENT_FROM")
    reply_domain: str | None = Field(None, alias="AR_AGENT_REPLY_DOMAIN")
    inbound_secret: str | None = Field(None, alias="AR_AGENT_INBOUND_SECRET")
    web_token: str | None = Field(None, alias="AR_AGENT_WEB_TOKEN")
    company_name: str = Field("Example Co.", alias="AR_AGENT_COMPANY")
    pay_link: str = Field("https://pay.example.com", alias="AR_AGENT_PAY_LINK")
    openai_api_key: str | None = Field(None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(None, alias="OPENAI_BASE_URL")
    slack_bot_token: str | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_channel: str | None = Field(None, alias="AR_AGENT_SLACK_CHANNEL")
    slack_api_url: str | None = Field(None, alias="AR_AGENT_SLACK_API_URL")
    approvers: str = Field("", alias="AR_AGENT_APPROVERS")
    dunning_time: str = Field("07:00", alias="AR_AGENT_DUNNING_TIME")
    public_url: str | None = Field(None, alias="AR_AGENT_PUBLIC_URL")
    trusted_proxies: str = Field("", alias="AR_AGENT_TRUSTED_PROXIES")
    cli_user: str | None = Field(None, alias="AR_AGENT_CLI_USER")
    cli_token: str | None = Field(None, alias="AR_AGENT_TOKEN")
    oidc_discovery_url: str | None = Field(None, alias="AR_AGENT_OIDC_DISCOVERY_URL")
    oidc_client_id: str | None = Field(None, alias="AR_AGENT_OIDC_CLIENT_ID")
    oidc_client_secret: str | None = Field(None, alias="AR_AGENT_OIDC_CLIENT_SECRET")
    oidc_name: str = Field("single sign-on", alias="AR_AGENT_OIDC_NAME")
    metrics_token: str | None = Field(None, alias="AR_AGENT_METRICS_TOKEN")

    @property
    def approver_ids(self) -> set[str]:
        return {a.strip() for a in self.approvers.split(",") if a.strip()}

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token and (self.slack_signing_secret or self.slack_app_token))

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_discovery_url and self.oidc_client_id)

    def make_clock(self) -> Clock:
        return parse_clock(self.clock)


@lru_cache
def get_settings() -> Settings:
    return Settings()
