-- One database per service: no service reads another's tables.
CREATE DATABASE visits;
CREATE DATABASE agreements;
CREATE DATABASE passports;
CREATE DATABASE reporting;
CREATE DATABASE directory;
CREATE DATABASE notifications;
