# Cluster access from a kubeconfig. kube_context null means the kubeconfig's current context, as kubectl and
# helm behave; the deploy tool passes -var kube_context=... when it is told one.
provider "helm" {
  kubernetes = {
    config_path    = var.kubeconfig_path
    config_context = var.kube_context
  }
}
