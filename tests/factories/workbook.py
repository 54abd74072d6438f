from __future__ import annotations

import factory

from tests.factories.accounts import UserFactory
from workbook.models import Workbook


class WorkbookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workbook

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"工作簿 {n}")
    reporting_currency = "CNY"
    document = factory.LazyFunction(
        lambda: {
            "schema_version": 1,
            "tree": {"root": "gmv", "nodes": [{"key": "gmv", "metric": "gmv"}]},
        }
    )
