"""`landhub load-vocabularies`: reload countries and vocabularies from directory/data/.

Idempotent: terms are matched by (vocabulary, slug) and updated; none are deleted.
"""

from django.core.management.base import BaseCommand

from landhub.directory.models import Country, Term
from landhub.directory.vocabularies import load_countries, load_vocabularies


class Command(BaseCommand):
    help = "Reload the countries and controlled vocabularies from the data files."

    def handle(self, *args, **options):
        countries = load_countries(Country)
        terms = load_vocabularies(Term)
        self.stdout.write(self.style.SUCCESS(f"{countries} countries, {terms} terms loaded."))
