"""moto server for hpx's tests.

moto invents an endpoint and a CA for every EKS cluster. Here a cluster created with
the tags hpx-test/endpoint and hpx-test/ca-data describes those instead, so that
DescribeCluster points hpx at the local simulated cluster's API server.
"""
import sys

from moto.eks import models

_original_init = models.Cluster.__init__


def _init(self, *args, **kwargs):
    _original_init(self, *args, **kwargs)
    tags = self.tags or {}
    if "hpx-test/endpoint" in tags:
        self.endpoint = tags["hpx-test/endpoint"]
    if "hpx-test/ca-data" in tags:
        self.certificate_authority = {"data": tags["hpx-test/ca-data"]}


models.Cluster.__init__ = _init

from moto.server import main  # noqa: E402  (after the patch)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
