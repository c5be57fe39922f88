import pytest
from pydantic import ValidationError

from graph.settings import DEFAULT_MODELS, Settings, fingerprint


def test_defaults_need_no_environment() -> None:
    settings = Settings()
    assert settings.gemini_api_keys == [] and not settings.has_keys
    assert settings.gemini_models == list(DEFAULT_MODELS)


def test_keys_from_a_comma_or_newline_list_deduplicated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEMINI_API_KEYS", "k1, k2\nk1\n")
    settings = Settings()
    assert [k.get_secret_value() for k in settings.gemini_api_keys] == ["k1", "k2"]
    assert settings.fingerprints() == [fingerprint("k1"), fingerprint("k2")]
    assert "k1" not in repr(settings)


def test_single_key_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_API_KEY", "g1")
    assert Settings().key_by_fingerprint(fingerprint("g1")) == "g1"


def test_models_projects_and_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEMINI_MODELS", "models/gemini-2.5-pro, gemini-2.5-flash")
    monkeypatch.setenv("GEMINI_KEY_PROJECTS", f"{fingerprint('k1')}=proj-a")
    monkeypatch.setenv("GEMINI_LIMITS", "gemini-2.5-pro=5/100")
    settings = Settings()
    assert settings.gemini_models == ["gemini-2.5-pro", "gemini-2.5-flash"]
    assert settings.project_of(fingerprint("k1")) == "proj-a"
    assert settings.limits("gemini-2.5-pro") == (5, 100)
    assert settings.limits("gemini-2.5-flash") == (settings.gemini_rpm, settings.gemini_rpd)


def test_reads_a_dotenv_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("GEMINI_API_KEYS=from-dotenv\nGEMINI_RPM=3\n", encoding="utf-8")
    settings = Settings()
    assert settings.has_keys and settings.gemini_rpm == 3


def test_malformed_values_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEMINI_KEY_PROJECTS", "no-equals-sign")
    with pytest.raises(ValidationError):
        Settings()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("GEMINI_MODELS", "[gemini-2.5-flash"),
        ("GEMINI_MODELS", "gemini-2.5-flash]"),
        ("GEMINI_LIMITS", "gemini-2.5-flash=ten"),
        ("GEMINI_LIMITS", "gemini-2.5-flash=10/"),
        ("GEMINI_LIMITS", "gemini-2.5-flash=0/250"),
        ("GOOGLE_GEMINI_BASE_URL", "127.0.0.1:9"),
        ("GOOGLE_GEMINI_BASE_URL", "ftp://proxy.example"),
        ("GOOGLE_GEMINI_BASE_URL", "http://127.0.0.1:99999"),
    ],
)
def test_malformed_gemini_settings_fail_at_load_time(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError, match=variable):
        Settings()


def test_well_formed_gemini_settings_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEMINI_MODELS", "gemma-3-27b-it,gemini-2.0-flash-001")
    monkeypatch.setenv("GEMINI_LIMITS", "models/gemini-2.0-flash-001=15/1500, gemma-3-27b-it=30")
    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", " https://proxy.example:8443/gemini ")
    settings = Settings()
    assert settings.gemini_models == ["gemma-3-27b-it", "gemini-2.0-flash-001"]
    assert settings.limits("gemini-2.0-flash-001") == (15, 1500)
    assert settings.limits("gemma-3-27b-it") == (30, settings.gemini_rpd)
    assert settings.gemini_base_url == "https://proxy.example:8443/gemini"


def test_state_folder_must_be_a_folder_or_makeable(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("MIANJING_HOME", str(tmp_path / "not-yet" / "made"))
    assert Settings().home == tmp_path / "not-yet" / "made"
    for home in (blocker, blocker / "state"):
        monkeypatch.setenv("MIANJING_HOME", str(home))
        with pytest.raises(ValidationError, match="is a file, not a folder"):
            Settings()
