from django.core.management.base import BaseCommand

from pamong.audit.services import sign_tree_head


class Command(BaseCommand):
    help = "Sign and publish a tree head for the audit log as it is now."

    def handle(self, *args, **options):
        head = sign_tree_head()
        self.stdout.write(f"signed tree head: size {head.tree_size}, root {bytes(head.root_hash).hex()}")
