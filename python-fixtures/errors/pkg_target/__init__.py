from pkg_target import inner
