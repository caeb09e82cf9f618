"""No tables of its own. The module exists so that Django sends this app `post_migrate`
(it skips apps without a models module), which regenerates the row-level security policies."""
