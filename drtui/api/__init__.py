"""DataRobot API v2 as Python: models, client, paging, jobs, errors, retries, download, config."""
