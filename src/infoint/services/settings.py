"""Settings: `infoint config`, to read and change config.toml."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infoint import plain, settings_seal
from infoint.errors import BadInput, RuleBroken
from infoint.files import read_toml, write_toml
from infoint.services.base import TrackerCore, bad_settings
from infoint.vocabulary import SECTIONS, SETTING_KEYS

if TYPE_CHECKING:
    from infoint.models import Settings

#: What a setting holds: a whole number, or text (me.name, mail.host, …).
SettingValue = int | str


class SettingServices(TrackerCore):
    """Reading and changing the settings (config.toml)."""

    def config_items(self) -> list[tuple[str, SettingValue, SettingValue]]:
        """(key, value, default) for every setting."""
        current = self.settings
        default = plain.settings()
        out: list[tuple[str, SettingValue, SettingValue]] = []
        for key in SETTING_KEYS:
            out.append((key, _get(current, key), _get(default, key)))
        return out

    def config_get(self, key: str) -> SettingValue:
        _known_key(key)
        return _get(self.settings, key)

    def config_set(self, key: str, value: str) -> SettingValue:
        """Set one setting; unknown keys and invalid values are refused. Under the
        store's lock, so two at once never lose one of the values."""
        _known_key(key)
        with self.store.lock():
            return self._config_set(key, value)

    def _config_set(self, key: str, value: str) -> SettingValue:
        from pydantic import ValidationError

        from infoint.models import MEETING_CAP_MINUTES, Settings

        raw = read_toml(self.paths.config_file)
        section, _, name = key.partition(".")
        try:  # the file as it is, but for the value being set (which may fix it)
            data = Settings.model_validate(_without(raw, section, name)).model_dump()
        except ValidationError as exc:
            raise bad_settings(self.paths, exc) from None
        if name and not _whole_number(key):
            data[section][name] = value
        else:
            try:
                number = int(value)
            except ValueError:
                raise BadInput(
                    f"{key} takes a whole number (got {value!r}).",
                    hint=f"For example: infoint config {key} {_get(plain.settings(), key)}",
                ) from None
            if key == "max_meeting_minutes" and number > MEETING_CAP_MINUTES:
                raise RuleBroken(
                    f"max_meeting_minutes can be lowered, never raised above "
                    f"{MEETING_CAP_MINUTES} (asked for {number}).",
                    hint="The article's rule is thirty minutes max.",
                )
            if name:
                data[section][name] = number
            else:
                data[key] = number
        try:
            settings = Settings.model_validate(data)
        except ValidationError as exc:
            error = exc.errors()[0]
            if error["type"] in ("greater_than_equal", "less_than_equal"):  # in user words
                meta = Settings.model_fields[key].metadata
                low = next((m.ge for m in meta if hasattr(m, "ge")), None)
                high = next((m.le for m in meta if hasattr(m, "le")), None)
                span = f"{low} to {high}" if high is not None else f"{low} or more"
                raise BadInput(
                    f"{key} takes {span} (got {value}).",
                    hint=f"For example: infoint config {key} {_get(plain.settings(), key)} "
                    "(the default)",
                ) from None
            raise BadInput(f"{value!r} is not a valid value for {key}: {error['msg']}.") from None
        defaults = Settings().model_dump()
        to_write = {k: v for k, v in data.items() if k not in SECTIONS and v != defaults[k]}
        for table in SECTIONS:
            changed = {k: v for k, v in data[table].items() if v != defaults[table][k]}
            if changed:
                to_write[table] = changed
        written = write_toml(self.paths.config_file, to_write)
        settings_seal.write(self.paths, written, settings.model_dump(mode="json"))
        self._settings = settings
        return _get(settings, key)


def _without(raw: dict[str, Any], section: str, name: str) -> dict[str, Any]:
    """config.toml's values less one setting (`section`, or `name` in that table)."""
    if not name:
        return {k: v for k, v in raw.items() if k != section}
    table = raw.get(section)
    if not isinstance(table, dict):
        return raw
    return {**raw, section: {k: v for k, v in table.items() if k != name}}


def _get(settings: Settings, key: str) -> SettingValue:
    section, _, name = key.partition(".")
    value: SettingValue = (
        getattr(getattr(settings, section), name) if name else getattr(settings, key)
    )
    return value


def _whole_number(key: str) -> bool:
    """Whether a setting takes a number (the rest of the `me.` and `mail.` ones are text)."""
    from infoint.models import MailSettings, Me

    section, _, name = key.partition(".")
    models: dict[str, type[Me] | type[MailSettings]] = {"me": Me, "mail": MailSettings}
    model = models.get(section) if name else None
    if model is None:
        return True
    return model.model_fields[name].annotation in (int, "int")


def _known_key(key: str) -> None:
    if key not in SETTING_KEYS:
        import difflib

        close = difflib.get_close_matches(key, SETTING_KEYS, n=1)
        raise BadInput(
            f"There is no setting called {key!r}.",
            hint=f"Did you mean {close[0]}?" if close else "See them all with: infoint config",
        )
