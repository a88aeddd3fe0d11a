"""The forms of contests: the staff's contest, nomination, question and document forms, and the
applicant's form built from the contest's questions. Each gives what its action takes
(contests.actions); the action checks the rest — these only shape the page's fields."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplan.accounts.rules import coordinator_organisation_id
from civicplan.contests import actions, phases
from civicplan.contests.files import IncomingFile
from civicplan.contests.models import Application, ApplicationField, Contest, FileType
from civicplan.plans.models import Activity

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MB = 1024 * 1024


def _when(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class ContestForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Название"), max_length=300)
    summary = forms.CharField(
        label=gettext_lazy("Кратко"),
        required=False,
        max_length=actions.SUMMARY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Одно-два предложения для списка конкурсов."),
    )
    rules = forms.CharField(
        label=gettext_lazy("Положение о конкурсе"),
        required=False,
        max_length=actions.RULES_LIMIT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "Можно с разметкой HTML: абзацы, списки, ссылки, таблицы; остальное будет убрано."
        ),
    )
    for_municipalities = forms.BooleanField(
        label=gettext_lazy("Члены Ассоциации (заявку подаёт координатор)"), required=False
    )
    for_organisations = forms.BooleanField(label=gettext_lazy("Организации"), required=False)
    for_individuals = forms.BooleanField(
        label=gettext_lazy("Частные лица (студенты, родители за ребёнка)"), required=False
    )
    anonymous_review = forms.BooleanField(
        label=gettext_lazy("Анонимная оценка (жюри не видит, чья заявка)"), required=False
    )
    call_opens = _when(gettext_lazy("Приём заявок открывается"))
    call_closes = _when(gettext_lazy("Приём заявок закрывается"))
    judging_starts = _when(gettext_lazy("Работа жюри начинается"))
    results_published = _when(gettext_lazy("Итоги публикуются"))
    published = forms.BooleanField(
        label=gettext_lazy("Опубликовать на сайте"),
        required=False,
        help_text=gettext_lazy("Пока не опубликован, конкурс видят только сотрудники дирекции."),
    )

    def contest_data(self) -> actions.ContestData:
        return actions.ContestData(**self.cleaned_data)

    @staticmethod
    def initial_for(activity: Activity, today: date) -> dict[str, Any]:
        """A new contest as its plan row suggests: its title, the dates from its time frame."""
        dates = phases.default_dates(activity.start, activity.end, today)
        return {
            "title": activity.title[:300],
            "call_opens": timezone.localtime(dates.call_opens),
            "call_closes": timezone.localtime(dates.call_closes),
            "judging_starts": timezone.localtime(dates.judging_starts),
            "results_published": timezone.localtime(dates.results_published),
        }

    @staticmethod
    def initial_of(contest: Contest) -> dict[str, Any]:
        names = list(ContestForm.base_fields)
        initial = {name: getattr(contest, name) for name in names}
        for name in ("call_opens", "call_closes", "judging_starts", "results_published"):
            initial[name] = timezone.localtime(initial[name])
        return initial


class NominationForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Номинация"), max_length=300)
    description = forms.CharField(
        label=gettext_lazy("Описание"),
        required=False,
        max_length=actions.SUMMARY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the staff's contest page holds several forms with a "title".
        kwargs.setdefault("auto_id", "nomination_%s")
        super().__init__(*args, **kwargs)


class FieldForm(forms.Form):
    """A question of the application form, as staff add it."""

    kind = forms.ChoiceField(label=gettext_lazy("Тип"), choices=ApplicationField.Kind.choices)
    label = forms.CharField(label=gettext_lazy("Вопрос"), max_length=300)
    help_text = forms.CharField(label=gettext_lazy("Пояснение"), required=False, max_length=1000)
    required = forms.BooleanField(label=gettext_lazy("Обязательное"), required=False)
    choices = forms.CharField(
        label=gettext_lazy("Варианты (для выбора из списка)"),
        required=False,
        max_length=actions.MAX_CHOICES * (actions.MAX_CHOICE_LENGTH + 2),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("По одному в строке."),
    )
    file_types = forms.MultipleChoiceField(
        label=gettext_lazy("Файлы (для поля-файла)"),
        required=False,
        choices=FileType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    max_mb = forms.DecimalField(
        label=gettext_lazy("Наибольший размер файла, МБ"),
        required=False,
        min_value=Decimal("0.1"),
        max_digits=6,
        decimal_places=1,
    )
    max_length = forms.IntegerField(
        label=gettext_lazy("Наибольшая длина текста, знаков"),
        required=False,
        min_value=1,
        max_value=actions.LONG_TEXT_LIMIT,
    )
    min_value = forms.DecimalField(
        label=gettext_lazy("Число не меньше"), required=False, max_digits=15, decimal_places=2
    )
    max_value = forms.DecimalField(
        label=gettext_lazy("Число не больше"), required=False, max_digits=15, decimal_places=2
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the staff's contest page holds several forms with a "title".
        kwargs.setdefault("auto_id", "field_%s")
        super().__init__(*args, **kwargs)

    def spec(self) -> actions.FieldSpec:
        data = self.cleaned_data
        megabytes = data["max_mb"]
        return actions.FieldSpec(
            kind=data["kind"],
            label=data["label"],
            help_text=data["help_text"],
            required=data["required"],
            choices=data["choices"].splitlines(),
            file_types=data["file_types"],
            max_bytes=int(megabytes * MB) if megabytes else 0,
            max_length=data["max_length"] or 0,
            min_value=data["min_value"],
            max_value=data["max_value"],
        )


class DocumentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Название документа"), max_length=300)
    file = forms.FileField(
        label=gettext_lazy("Файл"), help_text=gettext_lazy("PDF, DOCX или XLSX.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the staff's contest page holds several forms with a "title".
        kwargs.setdefault("auto_id", "document_%s")
        super().__init__(*args, **kwargs)

    def incoming(self) -> IncomingFile:
        upload = self.cleaned_data["file"]
        return IncomingFile(upload.name, upload.read(settings.CIVICPLAN_ATTACHMENT_MAX_BYTES + 1))


# -- the applicant's form ------------------------------------------------------------------------


def _question(form_field: ApplicationField) -> forms.Field:
    """The form field that asks one question (never required here: a draft may leave it empty;
    the action asks for the required ones at submission)."""
    Kind = ApplicationField.Kind
    common = {"label": form_field.label, "required": False, "help_text": form_field.help_text}
    if form_field.kind == Kind.TEXT:
        return forms.CharField(max_length=form_field.max_length or actions.TEXT_LIMIT, **common)
    if form_field.kind == Kind.LONG_TEXT:
        return forms.CharField(
            max_length=form_field.max_length or actions.LONG_TEXT_DEFAULT,
            widget=forms.Textarea(attrs={"rows": 6}),
            **common,
        )
    if form_field.kind == Kind.NUMBER:
        return forms.DecimalField(
            min_value=form_field.min_value, max_value=form_field.max_value, **common
        )
    if form_field.kind == Kind.CHOICE:
        return forms.ChoiceField(
            choices=[("", "—"), *[(c, c) for c in form_field.choices]], **common
        )
    if form_field.kind == Kind.LINK:
        return forms.URLField(max_length=1000, assume_scheme="https", **common)
    if form_field.kind == Kind.CONSENT:
        return forms.BooleanField(**common)
    return forms.FileField(**common)


class ApplicationForm(forms.Form):
    """The applicant, the nomination and the contest's questions."""

    kind = forms.ChoiceField(label=gettext_lazy("Кто подаёт заявку"))
    nomination = forms.TypedChoiceField(
        label=gettext_lazy("Номинация"), required=False, coerce=int, empty_value=None
    )
    first_name = forms.CharField(label=gettext_lazy("Имя"), max_length=actions.NAME_LIMIT)
    last_name = forms.CharField(label=gettext_lazy("Фамилия"), max_length=actions.NAME_LIMIT)
    email = forms.EmailField(
        label=gettext_lazy("Адрес электронной почты"),
        help_text=gettext_lazy("На него придёт подтверждение и письма о заявке."),
    )
    organisation_name = forms.CharField(
        label=gettext_lazy("Организация"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Для заявки от организации: её полное название."),
    )
    city = forms.CharField(label=gettext_lazy("Населённый пункт"), required=False, max_length=200)
    minor = forms.BooleanField(
        label=gettext_lazy("Участник — ребёнок (младше 18 лет); заявку подаёт родитель"),
        required=False,
    )
    age = forms.IntegerField(
        label=gettext_lazy("Возраст ребёнка"), required=False, min_value=1, max_value=17
    )
    guardian_name = forms.CharField(
        label=gettext_lazy("Родитель (законный представитель): фамилия, имя, отчество"),
        required=False,
        max_length=300,
    )
    guardian_consent = forms.BooleanField(
        label=gettext_lazy(
            "Я родитель (законный представитель) ребёнка и согласен на его участие в конкурсе "
            "и обработку его персональных данных; фамилия ребёнка не будет опубликована"
        ),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        contest: Contest,
        user: Any,
        application: Application | None = None,
        **kwargs: Any,
    ) -> None:
        if application is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_of(application)
        elif user.is_authenticated and "initial" not in kwargs:
            kwargs["initial"] = {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
            }
        super().__init__(*args, **kwargs)
        self.contest = contest
        self.questions, nominations = list(contest.fields.all()), list(contest.nominations.all())
        self.kept = (
            {upload.field_id: upload for upload in application.files.all()} if application else {}
        )
        self.fields["kind"].choices = self._kinds(contest, user)
        if nominations:
            self.fields["nomination"].choices = [("", "—"), *[(n.pk, n.title) for n in nominations]]
        else:
            del self.fields["nomination"]
        if user.is_authenticated:
            self.fields["email"].required = False
        for question in self.questions:
            self.fields[question.key] = _question(question)
            if question.kind == ApplicationField.Kind.FILE and question.pk in self.kept:
                self.fields[f"remove_{question.key}"] = forms.BooleanField(
                    label=_("убрать файл «%(name)s»") % {"name": self.kept[question.pk].name},
                    required=False,
                )

    @staticmethod
    def _kinds(contest: Contest, user: Any) -> list[tuple[str, str]]:
        kinds = []
        for kind, label in Application.Kind.choices:
            if not contest.admits(kind):
                continue
            if kind == Application.Kind.MUNICIPALITY and coordinator_organisation_id(user) is None:
                continue
            kinds.append((kind, label))
        return kinds

    def question_fields(self) -> list[tuple[ApplicationField, forms.BoundField, Any]]:
        """Each question's bound field, with its kept file and the box that removes it."""
        rows = []
        for question in self.questions:
            remove = f"remove_{question.key}"
            rows.append(
                (
                    question,
                    self[question.key],
                    self.kept.get(question.pk),
                    self[remove] if remove in self.fields else None,
                )
            )
        return rows

    @staticmethod
    def initial_of(application: Application) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(application, name)
            for name in (
                "kind",
                "first_name",
                "last_name",
                "email",
                "organisation_name",
                "city",
                "minor",
                "age",
                "guardian_name",
            )
        }
        initial["nomination"] = application.nomination_id
        initial["guardian_consent"] = application.guardian_consent is not None
        initial.update(application.answers)
        return initial

    def entry(self) -> actions.Entry:
        data = self.cleaned_data
        answers, files = {}, {}
        for question in self.questions:
            value = data.get(question.key)
            if question.kind == ApplicationField.Kind.FILE:
                if value:
                    files[question.key] = IncomingFile(
                        value.name, value.read(question.max_bytes + 1)
                    )
            else:
                answers[question.key] = "" if value is None else value
        return actions.Entry(
            kind=data["kind"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data.get("email") or "",
            nomination=data.get("nomination"),
            organisation_name=data["organisation_name"],
            city=data["city"],
            minor=data["minor"],
            age=data["age"],
            guardian_name=data["guardian_name"],
            guardian_consent=data["guardian_consent"],
            answers=answers,
            files=files,
            remove_files=[q.key for q in self.questions if data.get(f"remove_{q.key}")],
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Причина (необязательно)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# -- the jury ------------------------------------------------------------------------------------


class JurorForm(forms.Form):
    """A juror as staff invite them."""

    email = forms.EmailField(label=gettext_lazy("Адрес электронной почты"))
    name = forms.CharField(label=gettext_lazy("Фамилия, имя, отчество"), max_length=300)
    organisation_name = forms.CharField(
        label=gettext_lazy("Организация"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Заявки этой организации члену жюри не достанутся."),
    )
    city = forms.CharField(
        label=gettext_lazy("Населённый пункт"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Заявки из этого населённого пункта члену жюри не достанутся."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "juror_%s")
        super().__init__(*args, **kwargs)

    def juror_data(self) -> actions.JurorData:
        return actions.JurorData(**self.cleaned_data)


class CategoryForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Критерий"), max_length=300)
    description = forms.CharField(
        label=gettext_lazy("Описание"),
        required=False,
        max_length=actions.SUMMARY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.DecimalField(
        label=gettext_lazy("Вес"),
        initial=Decimal(1),
        min_value=Decimal("0.01"),
        max_value=actions.MAX_WEIGHT,
        max_digits=5,
        decimal_places=2,
    )
    min_score = forms.IntegerField(
        label=gettext_lazy("Наименьшая оценка"),
        initial=0,
        min_value=-actions.SCALE_LIMIT,
        max_value=actions.SCALE_LIMIT,
    )
    max_score = forms.IntegerField(
        label=gettext_lazy("Наибольшая оценка"),
        initial=10,
        min_value=-actions.SCALE_LIMIT,
        max_value=actions.SCALE_LIMIT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "category_%s")
        super().__init__(*args, **kwargs)

    def category_data(self) -> actions.CategoryData:
        return actions.CategoryData(**self.cleaned_data)


class JurySettingsForm(forms.Form):
    jurors_per_entry = forms.IntegerField(
        label=gettext_lazy("Членов жюри на каждую заявку"),
        min_value=1,
        max_value=actions.MAX_PER_ENTRY,
    )
    review_phase = forms.ChoiceField(
        label=gettext_lazy("Этап работы жюри"),
        choices=Contest.ReviewPhase.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "jury_%s")
        super().__init__(*args, **kwargs)


class ScoreForm(forms.Form):
    """A juror's scores of one entry: a number per category within its scale, and the comment
    to the organisers."""

    comment = forms.CharField(
        label=gettext_lazy("Комментарий для организаторов"),
        required=False,
        max_length=actions.COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Его видят только сотрудники дирекции, не заявитель."),
    )

    def __init__(self, *args: Any, categories: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = categories
        for category in categories:
            self.fields[f"c{category.pk}"] = forms.IntegerField(
                label=category.title,
                required=False,
                min_value=category.min_score,
                max_value=category.max_score,
                help_text=_("от %(low)d до %(high)d, вес %(weight)s")
                % {
                    "low": category.min_score,
                    "high": category.max_score,
                    "weight": formats.number_format(category.weight.normalize()),
                },
            )
        self.order_fields([*(f"c{category.pk}" for category in categories), "comment"])

    @staticmethod
    def initial_of(given) -> dict[str, Any]:
        initial: dict[str, Any] = {
            f"c{score.category_id}": score.value for score in given.scores.all()
        }
        initial["comment"] = given.comment
        return initial

    def values(self) -> dict[int, int | None]:
        return {
            category.pk: self.cleaned_data.get(f"c{category.pk}") for category in self.categories
        }


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Причина конфликта интересов"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
