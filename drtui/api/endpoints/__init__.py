"""The client's endpoints, one module per family of the reference (deployments, custom model
deployments, deleted deployments, resource bundles, the PPS image), on one base holding the
wire and paging (base.py); ``drtui.api.client.DataRobotClient`` is all of them."""
