# Install rules and the Debian package (CPack DEB), built by scripts/package.sh: the binary in /usr/bin, the
# pages in /usr/share/pjsip-service/web, the systemd unit and the example settings in /etc/pjsip-service.
# The binary finds its pages at <bin>/../share/pjsip-service/web (src/config/web_dir.hpp): keep bin/ and
# share/ side by side under one prefix.

install(TARGETS pjsip-service RUNTIME DESTINATION bin)

# The pages without the npm tree: of node_modules only the Socket.IO client bundle the binary serves.
set(ff_web_dir ${PROJECT_SOURCE_DIR}/web)
install(DIRECTORY ${ff_web_dir}/ DESTINATION share/pjsip-service/web
        PATTERN node_modules EXCLUDE
        PATTERN package.json EXCLUDE
        PATTERN package-lock.json EXCLUDE)
install(DIRECTORY ${ff_web_dir}/node_modules/socket.io-client/dist/
        DESTINATION share/pjsip-service/web/node_modules/socket.io-client/dist)
install(FILES ${ff_web_dir}/node_modules/socket.io-client/LICENSE
        DESTINATION share/pjsip-service/web/node_modules/socket.io-client)

install(FILES ${PROJECT_SOURCE_DIR}/packaging/pjsip-service.service DESTINATION lib/systemd/system)
# Secrets go in here: readable by root and, once postinst has set its group, by the service's user only.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/pjsip-service.env DESTINATION /etc/pjsip-service
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)

set(FF_PACKAGE_MAINTAINER "FoodFlow telephony <telephony@foodflow.example>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pjsip-service)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # pjsip-service_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${FF_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "FoodFlow telephony service: office PBX to CRM")
# The extended description, below the summary line.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "A SIP back-to-back user agent between an office PBX and the operators' phones,
with a REST API, a Socket.IO stream, a call log (SQLite or PostgreSQL), the
operator console and the settings page. Runs as the systemd unit pjsip-service.")
# The libraries the binary links, as dpkg-shlibdeps finds them (libsofia-sip-ua0, libc6 ...), after these.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")  # postinst creates the system user
# MEDIA=rtpengine without RTPENGINE_URL starts Debian's rtpengine itself; passthrough needs nothing.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "rtpengine-daemon")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
