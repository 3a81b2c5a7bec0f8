terraform {
  required_version = ">= 1.9"

  # No providers: the sizing table is data, tested offline through the values module's examples.
}
