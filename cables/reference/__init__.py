"""Reference data, no Django: posts and their countries, TAGS codes and what they mean."""
