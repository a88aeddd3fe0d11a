"""Countries and Russia's federal cities: the one list that reading places (`places`) and
telling an organisation's kind (`organisations`) both use, so that both take the same names for
countries and the same cities for regions of their own.

Pure data, no Django.
"""

from __future__ import annotations

RUSSIA = "Россия"

# Country codes of the settlements list -> the short Russian name used in City.country.
COUNTRIES: dict[str, str] = {
    "RU": "Россия",
    "BY": "Беларусь",
    "KZ": "Казахстан",
    "UZ": "Узбекистан",
    "KG": "Киргизия",
    "TJ": "Таджикистан",
    "AM": "Армения",
    "AZ": "Азербайджан",
    "MD": "Молдова",
    "TM": "Туркменистан",
    "GE": "Грузия",
    "UA": "Украина",
    "MN": "Монголия",
    "CN": "Китай",
    "KP": "КНДР",
    "KR": "Южная Корея",
    "JP": "Япония",
    "VN": "Вьетнам",
    "LA": "Лаос",
    "IN": "Индия",
    "IR": "Иран",
    "TR": "Турция",
    "IL": "Израиль",
    "EG": "Египет",
    "AE": "ОАЭ",
    "SA": "Саудовская Аравия",
    "QA": "Катар",
    "TH": "Таиланд",
    "ID": "Индонезия",
    "MY": "Малайзия",
    "SG": "Сингапур",
    "LK": "Шри-Ланка",
    "CU": "Куба",
    "VE": "Венесуэла",
    "BR": "Бразилия",
    "AR": "Аргентина",
    "MX": "Мексика",
    "US": "США",
    "CA": "Канада",
    "ZA": "ЮАР",
    "DE": "Германия",
    "FR": "Франция",
    "IT": "Италия",
    "ES": "Испания",
    "PT": "Португалия",
    "GB": "Великобритания",
    "IE": "Ирландия",
    "NL": "Нидерланды",
    "BE": "Бельгия",
    "LU": "Люксембург",
    "CH": "Швейцария",
    "AT": "Австрия",
    "DK": "Дания",
    "NO": "Норвегия",
    "SE": "Швеция",
    "FI": "Финляндия",
    "EE": "Эстония",
    "LV": "Латвия",
    "LT": "Литва",
    "PL": "Польша",
    "CZ": "Чехия",
    "SK": "Словакия",
    "HU": "Венгрия",
    "SI": "Словения",
    "HR": "Хорватия",
    "RS": "Сербия",
    "ME": "Черногория",
    "MK": "Северная Македония",
    "BG": "Болгария",
    "RO": "Румыния",
    "GR": "Греция",
    "CY": "Кипр",
    "AU": "Австралия",
}
# Countries the settlements list has no code of their own for (GeoNames lists their towns under
# another country's code).
UNCODED_COUNTRIES = ("Абхазия",)
COUNTRY_NAMES = (*COUNTRIES.values(), *UNCODED_COUNTRIES)  # every country's short name
# Long official forms and other spellings (lower case, in the nominative) that the short names
# do not cover.
COUNTRY_FORMS: dict[str, str] = {
    "российская федерация": "Россия",
    "рф": "Россия",
    "белоруссия": "Беларусь",
    "кыргызстан": "Киргизия",
    "кыргызская республика": "Киргизия",
    "киргизская республика": "Киргизия",
    "молдавия": "Молдова",
    "туркмения": "Туркменистан",
    "азербайджанская республика": "Азербайджан",
    "китайская народная республика": "Китай",
    "кнр": "Китай",
    "социалистическая республика вьетнам": "Вьетнам",
    "исламская республика иран": "Иран",
    "турецкая республика": "Турция",
    "республика корея": "Южная Корея",
    "корейская народно-демократическая республика": "КНДР",
    "объединенные арабские эмираты": "ОАЭ",
    "соединенные штаты америки": "США",
    "соединенное королевство": "Великобритания",
    "федеративная республика германия": "Германия",
    "фрг": "Германия",
    "французская республика": "Франция",
    "итальянская республика": "Италия",
    "чешская республика": "Чехия",
    "словацкая республика": "Словакия",
    "южно-африканская республика": "ЮАР",
    "государство израиль": "Израиль",
    "арабская республика египет": "Египет",
}
# Cities of federal significance: each is a region of Russia of its own.
FEDERAL_CITIES = frozenset(("Москва", "Санкт-Петербург", "Севастополь"))


def country_keys() -> dict[str, str]:
    """Every name of a country, in lower case, -> its short name: the short names themselves
    and the other forms."""
    return {**COUNTRY_FORMS, **{name.lower(): name for name in COUNTRY_NAMES}}
