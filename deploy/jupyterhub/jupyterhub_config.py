"""JupyterHub for the course on one machine, on loopback (started by hub.py, which writes the
settings file COURSE_HUB_SETTINGS names: its state folder, users, ports and paths)."""

import json
import os
import pwd

c = get_config()  # noqa: F821 (injected by traitlets when it loads this file)

S = json.loads(open(os.environ["COURSE_HUB_SETTINGS"]).read())  # noqa: SIM115

# --- Where it listens: loopback only --------------------------------------------------------
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = S["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = S["hub_port"]
c.ConfigurableHTTPProxy.command = [S["proxy"]]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{S['proxy_api_port']}"
c.ConfigurableHTTPProxy.pid_file = os.path.join(S["state"], "proxy.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(S["state"], "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(S["state"], "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every user's server

# --- Who: local Unix accounts, by password (PAM) --------------------------------------------
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = {S["instructor"], *S["learners"]}
# The course's own service: the end-to-end test and the load benchmark drive the hub with it.
c.JupyterHub.services = [{"name": "course-admin",
                          "api_token": open(os.path.join(S["state"], "api_token")).read().strip()}]
c.JupyterHub.load_roles = [{
    "name": "course-admin",
    "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users"],
    "services": ["course-admin"],
}]

# --- Their servers: the course's environment, run as each user ------------------------------
c.Spawner.cmd = [os.path.join(S["venv_bin"], "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    # nbgrader's formgrader runs the environment's `alembic`; every server reads the exchange's
    # settings from the shared jupyter folder
    "PATH": f"{S['venv_bin']}:/usr/local/bin:/usr/bin:/bin",
    "JUPYTER_CONFIG_PATH": S["shared"],
}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90


def _notebook_dir(spawner):
    """The instructor works in the course folder (the formgrader's course); a learner in
    their home, where fetched assignments and feedback land."""
    home = pwd.getpwnam(spawner.user.name).pw_dir
    spawner.notebook_dir = S["course"] if spawner.user.name == S["instructor"] else home


c.Spawner.pre_spawn_hook = _notebook_dir
