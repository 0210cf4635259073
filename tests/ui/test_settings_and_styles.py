from drtui.api.query import DeploymentQuery
from drtui.ui.settings import AppSettings
from drtui.ui.styles import css_paths


def test_the_token_stays_out_of_the_settings_repr() -> None:
    settings = AppSettings(
        endpoint="https://dr.example/api/v2",
        token="s3cret-token-value",
        query=DeploymentQuery(search="fraud"),
    )
    assert "s3cret-token-value" not in repr(settings)
    assert "fraud" in repr(settings)


def test_every_shipped_stylesheet_is_found() -> None:
    paths = css_paths()
    assert [p.name for p in paths] == ["app.tcss", "deployments.tcss", "modals.tcss", "logs.tcss"]
    assert all(p.is_file() for p in paths)
