"""factory_boy factories for the shared nouns, used by every app's tests and by bench/."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from .models import (
    Country,
    Landscape,
    LandscapeMembership,
    LandscapeNeed,
    Organization,
    OrganizationMembership,
    Person,
    Term,
    Vocabulary,
)


def term(vocabulary: str, slug: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, slug=slug)


def country(code: str) -> Country:
    return Country.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Mark the e-mail verified so allauth lets the user sign in."""
        if create:
            from allauth.account.models import EmailAddress

            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = factory.LazyFunction(lambda: term(Vocabulary.ORGANIZATION_KIND, "ngo"))
    description = "An organization of the network."


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[36.0, -1.0], [36.5, -1.0], [36.5, -0.5], [36.0, -0.5], [36.0, -1.0]]],
}


class LandscapeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Landscape
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Landscape {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    summary = "A landscape partnership."
    region = "Africa"

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create:
            self.countries.set(extracted or [country("KE")])


class LandscapeNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LandscapeNeed

    landscape = factory.SubFactory(LandscapeFactory)
    capability = factory.LazyFunction(lambda: term(Vocabulary.CAPABILITY, "landscape-finance"))
    priority = "high"


class OrganizationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationMembership

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "member"


class LandscapeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LandscapeMembership

    person = factory.SubFactory(PersonFactory)
    landscape = factory.SubFactory(LandscapeFactory)
    role = "member"
